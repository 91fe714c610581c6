import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { RecordedEvent } from "../../domain/events/envelope.js";
import { runStreamId } from "../../domain/run/events.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { type PointInRun, readRunDetails } from "../../projections/run-report/queries.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";
import { StateAt } from "./response-schemas.js";
import { RunParams } from "./run-schemas.js";

const WHAT_TO_PASS =
  "pass a stream version (at=12), an ISO 8601 time (at=2026-12-01T10:00:00Z) or a step number (step=3)";

/** Where to stand in a run: `at` (a stream version or a moment) or `step` (a step's number), one of them. */
export const AtQuery = z
  .object({
    at: z
      .string()
      .min(1)
      .transform((value, ctx) => {
        if (/^\d{1,15}$/.test(value)) return { version: Number(value) };
        const time = new Date(value);
        if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(time.getTime())) return { time };
        ctx.addIssue({
          code: "custom",
          message: `give a stream version (a whole number) or an ISO 8601 time; for a step, pass step=<n> instead`,
        });
        return z.NEVER;
      })
      .optional()
      .describe(
        "a stream version (a whole number: the run as it stood after that many events) or an ISO 8601 time (the run as it stood then); or pass step instead",
      ),
    step: z.coerce
      .number()
      .int("must be a step number, 1 for the first step")
      .min(1, "must be a step number, 1 for the first step")
      .optional()
      .describe(
        "a step's number as the report and the console show it (1 for the first): the run as it stood when that step was last worked on (its outcome and the page after it), with that step as current_step; instead of at",
      ),
  })
  .superRefine((q, ctx) => {
    if (q.at === undefined && q.step === undefined)
      ctx.addIssue({ code: "custom", path: ["at"], message: `required — ${WHAT_TO_PASS}` });
    if (q.at !== undefined && q.step !== undefined)
      ctx.addIssue({ code: "custom", path: ["step"], message: "give at or step, not both" });
  });

/**
 * The version at which step `step` (from 1) was last worked on: the run's last event about it (started,
 * element located, passed or failed, snapshot of the page after it).
 */
export function versionAtStep(events: RecordedEvent[], step: number): number | undefined {
  const index = step - 1;
  return events.findLast((e) => (e.data as { index?: unknown }).index === index)?.streamVersion;
}

function notReached(runId: string, step: number, now: RunDetails): HttpError {
  const count = now.steps.length;
  if (step > count)
    return new HttpError(404, "no_step", `run ${runId} has ${count} steps; step ${step} is not one of them`);
  return new HttpError(
    404,
    "step_not_run",
    `step ${step} of run ${runId} has not run (${now.status}); pass at=<version> to stand before it`,
  );
}

/** Time travel: a run as it stood at a stream version, a moment or a step. */
export function registerTimeTravelRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  load: (id: string) => Promise<RunDetails>,
) {
  const { routes, store } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/state",
    role: "viewer",
    tag: "time travel",
    summary:
      "The run as it stood at a stream version, a moment or a step: folded state, current step, and the snapshot and screenshot of that point. Pass at=<version>, at=<ISO time> or step=<n>.",
    params: RunParams,
    query: AtQuery,
    responses: { 200: { description: "the run at that point", schema: StateAt } },
    handler: async ({ params, query }) => {
      const now = await load(params.id);
      let point: PointInRun;
      if (query.step !== undefined) {
        const version = versionAtStep(await store.readStream(runStreamId(params.id)), query.step);
        if (version === undefined) throw notReached(params.id, query.step, now);
        point = { version };
      } else point = query.at!;
      const state = await readRunDetails(store, params.id, point);
      if (state.status === "none")
        throw new HttpError(
          404,
          "before_run",
          `run ${params.id} had not been requested at ${JSON.stringify(point)}`,
        );
      const snapshot = state.snapshots.at(-1) ?? null;
      // By step, the step asked for; otherwise the step under way then (none between steps).
      const index = query.step !== undefined ? query.step - 1 : state.current_index;
      const current = index === undefined ? null : state.steps[index];
      return {
        run_id: params.id,
        at:
          query.step !== undefined
            ? { step: query.step }
            : "version" in point
              ? { version: point.version }
              : { time: point.time.toISOString() },
        version: state.version,
        status: state.status,
        current_step: current ?? null,
        snapshot,
        screenshot_url: snapshot?.screenshot_hash
          ? `/api/runs/${params.id}/artifacts/${snapshot.screenshot_hash}`
          : null,
        state,
      };
    },
  });
}
