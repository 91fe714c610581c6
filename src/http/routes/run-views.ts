import type { FastifyInstance } from "fastify";
import { compareRuns } from "../../engine/reexecute.js";
import { buildRunReport } from "../../projections/run-report/report.js";
import { buildRunTimeline } from "../../projections/run-timeline.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";
import { RunParams } from "./run-schemas.js";
import { runSummary } from "./runs.js";

/** Views of one run for people: its timeline of steps, and a replay's comparison with the run it replays. */
export function registerRunViewRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, engine, blobs } = ctx;
  const load = async (id: string) => {
    const state = await engine.details(id);
    if (state.status === "none") throw new HttpError(404, "no_run", `no run ${id}; GET /api/runs lists runs`);
    return state;
  };

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/timeline",
    role: "viewer",
    tag: "runs",
    summary:
      "The run's steps as a timeline: per step the screenshot of the page it acted on with each element's box, how each was found (strategy, locator, confidence in words), the heal, the page after, waits, the console messages and network exchanges that appeared, and the quality findings first seen there. Screenshot sizes are in CSS pixels, the space of the boxes.",
    params: RunParams,
    handler: async ({ params }) => {
      const state = await load(params.id);
      const report = buildRunReport(state);
      const timeline = await buildRunTimeline(
        report,
        (hash) => blobs.get(hash).catch(() => undefined),
        (hash) => `/api/runs/${params.id}/artifacts/${hash}`,
      );
      return {
        run: { ...runSummary(state), plan_version: state.plan?.plan_version ?? null },
        steps: timeline.steps,
        warnings: report.warnings,
        heals: report.heals.map((h) => ({
          healing_id: h.healing_id,
          step_id: h.step_id,
          decision: h.decision,
          confidence: h.confidence,
          review: h.review,
        })),
        drift: report.drift,
        console_errors: report.console_errors,
        network_failures: report.network_failures,
      };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/comparison",
    role: "viewer",
    tag: "time travel",
    summary:
      "For a re-execution (a run replaying another), its steps compared with the original's: outcome and element, step by step.",
    params: RunParams,
    handler: async ({ params }) => {
      const replay = await load(params.id);
      if (replay.source !== "replay" || !replay.related_run)
        throw new HttpError(
          409,
          "not_a_replay",
          `run ${params.id} is not a re-execution; POST /api/runs/${params.id}/replay {"mode":"reexecute"} makes one`,
        );
      const original = await load(replay.related_run);
      const steps = compareRuns(original, replay);
      return {
        original_run_id: replay.related_run,
        replay_run_id: params.id,
        status: replay.status,
        finished: !["pending", "running", "healing"].includes(replay.status),
        same: steps.every((s) => s.same),
        steps,
      };
    },
  });
}
