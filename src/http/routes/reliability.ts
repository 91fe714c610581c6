import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { reliabilityHistory } from "../../projections/reliability.js";
import type { AppContext } from "../context.js";

export function registerReliabilityRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, runner } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/reliability/history",
    role: "viewer",
    tag: "reliability",
    summary:
      "One test's, page's or adapter's reliability over time: per run, hour or day, the pass rate and flakiness (flips against the previous run of the same plan and application version), the score so far, and the runs behind each point.",
    query: z.object({
      entity_type: z
        .enum(["test", "module", "adapter"])
        .describe("test (a plan), module (a page) or adapter (a browser driver)"),
      entity_id: z.string().min(1).describe("its id, as GET /api/reliability lists it"),
      bucket: z
        .enum(["run", "hour", "day"])
        .default("day")
        .describe("one point per run, per hour or per day"),
    }),
    handler: async ({ query }) => {
      await runner.catchUp();
      return {
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        bucket: query.bucket,
        points: await reliabilityHistory(
          store.db,
          { type: query.entity_type, id: query.entity_id },
          query.bucket,
        ),
      };
    },
  });
}
