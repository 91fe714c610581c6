import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { baselineIdOf, baselineStreamId, ScreenRegion } from "../../domain/drift/baseline.js";
import { NotFoundError } from "../../domain/errors.js";
import { driftDetections, listBaselines } from "../../projections/visual-baselines.js";
import type { AppContext } from "../context.js";
import { APPROVE_EXAMPLES, CAPTURE_EXAMPLES, DRIFT_CHECK_EXAMPLES } from "./examples.js";

const PageRef = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).describe("the page's http(s) URL"),
  page: z.string().min(1, "needs a page identifier").describe("a name for the page, such as login"),
  app_version: z
    .string()
    .min(1, "needs the application version")
    .describe("the application version the baseline belongs to"),
});

export function registerBaselineRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, runner } = ctx;
  const drift = () => {
    if (!ctx.drift)
      throw Object.assign(new Error("visual baselines are not available here"), { statusCode: 503 });
    return ctx.drift;
  };

  routes.add(app, {
    method: "GET",
    url: "/api/baselines",
    role: "viewer",
    tag: "drift",
    summary:
      "Visual baselines per page and application version: status, approval, drift checks, latest severity.",
    query: z.object({
      page: z.string().min(1).optional().describe("only this page's baselines"),
      app_version: z.string().min(1).optional().describe("only this application version's"),
      status: z
        .enum(["captured", "approved"])
        .optional()
        .describe("only captured (unapproved) or approved ones"),
    }),
    handler: async ({ query }) => {
      await runner.catchUp();
      return {
        baselines: await listBaselines(store.db, {
          page: query.page,
          version: query.app_version,
          status: query.status,
        }),
      };
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/baselines",
    role: "runner",
    tag: "drift",
    summary:
      "Capture a page as the baseline of its page identifier and version (replaces an earlier capture).",
    body: PageRef.extend({
      ignore_regions: z
        .array(ScreenRegion)
        .default([])
        .describe("areas (CSS pixels) to leave out of comparisons: clocks, ads"),
    }).strict(),
    examples: CAPTURE_EXAMPLES,
    handler: async ({ body }, _request, reply) => {
      const captured = await drift().capture({
        url: body.url,
        page: body.page,
        version: body.app_version,
        ignore: body.ignore_regions,
      });
      return reply.status(201).send(captured);
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/baselines/:id/approve",
    role: "admin",
    tag: "drift",
    summary:
      "Approve the captured baseline; with screenshot_hash, only if it is still the capture you reviewed.",
    params: z.object({
      id: z
        .uuid("must be a baseline id (a UUID)")
        .describe("the baseline's id, as GET /api/baselines lists it"),
    }),
    body: z
      .object({
        screenshot_hash: z
          .string()
          .regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hex digest")
          .optional()
          .describe("the capture you reviewed: refused (409) if the baseline was captured again since"),
        note: z.string().min(1).optional().describe("why, for the record"),
      })
      .strict(),
    examples: APPROVE_EXAMPLES,
    handler: async ({ params, body }, request) => {
      if ((await store.readStream(baselineStreamId(params.id), { limit: 1 })).length === 0)
        throw new NotFoundError(`no baseline ${params.id}; capture one first (POST /api/baselines)`);
      const state = await drift().approve(
        params.id,
        request.caller?.name ?? "api",
        body.note,
        body.screenshot_hash,
      );
      return { baseline_id: params.id, status: state.status, approved_by: state.approvedBy };
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/drift/check",
    role: "runner",
    tag: "drift",
    summary: "Check a page now against its approved baseline; records and returns the DriftDetectionResult.",
    body: PageRef.strict(),
    examples: DRIFT_CHECK_EXAMPLES,
    handler: async ({ body }) => {
      const id = baselineIdOf(body.page, body.app_version);
      if ((await store.readStream(baselineStreamId(id), { limit: 1 })).length === 0)
        throw new NotFoundError(
          `no baseline for page ${JSON.stringify(body.page)} at version ${JSON.stringify(body.app_version)}: capture one first`,
        );
      return drift().check({ url: body.url, page: body.page, version: body.app_version });
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/drift",
    role: "viewer",
    tag: "drift",
    summary: "Recent drift detections, newest first.",
    query: z.object({
      baseline_id: z
        .uuid("must be a baseline id (a UUID)")
        .optional()
        .describe("only this baseline's checks"),
      page: z.string().min(1).optional().describe("only this page's checks"),
      limit: z.coerce.number().int().min(1).max(500).default(50).describe("at most this many, newest first"),
    }),
    handler: async ({ query }) => {
      await runner.catchUp();
      return {
        detections: await driftDetections(store.db, {
          baselineId: query.baseline_id,
          page: query.page,
          limit: query.limit,
        }),
      };
    },
  });
}
