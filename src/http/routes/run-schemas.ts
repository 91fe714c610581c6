import { z } from "zod";
import type { TestPlan } from "../../domain/plan/model.js";
import { RequirementsError } from "../../domain/planner/requirements-plan.js";
import { stepCounts } from "../../domain/run/state.js";
import { planFromInput } from "../../engine/planners/plan-input.js";
import type { QueueEntry } from "../../engine/queue/run-queue.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { RUN_STATUS_FILTERS } from "../../projections/run-report/queries.js";
import { HttpError } from "../route.js";

/** The run routes' request shapes and the summary they answer with. */

export const RunParams = z.object({
  id: z
    .uuid("must be a run id (a UUID)")
    .describe("the run's id, as POST /api/runs or GET /api/runs gives it"),
});
const Driver = z.enum(["playwright", "webdriverio"]);

export const ListQuery = z.object({
  status: z
    .enum([...RUN_STATUS_FILTERS, "queued"])
    .optional()
    .describe("a run status, or queued: the runs waiting in the queue for a worker"),
  plan_id: z.string().min(1).optional().describe("only runs of this plan"),
  application: z.string().min(1).optional().describe("the application's URL, or its start (an origin)"),
  application_version: z.string().min(1).optional().describe("only runs on this version of the application"),
  since: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 time" })
    .optional()
    .describe("only runs requested at or after this ISO 8601 time"),
  until: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 time" })
    .optional()
    .describe("only runs requested before this ISO 8601 time"),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("at most this many runs"),
  offset: z.coerce.number().int().min(0).default(0).describe("skip this many runs (for the next page)"),
});

export const StartBody = z
  .object({
    plan: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe("a test plan: an object, or YAML/JSON text"),
    requirements: z
      .string()
      .min(1)
      .optional()
      .describe("plain or Gherkin-style requirements instead of a plan"),
    url: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .optional()
      .describe("the application's URL: required with requirements, overrides a plan's application_url"),
    driver: Driver.optional().describe("the browser driver (default: the server's browser.driver)"),
    application_version: z
      .string()
      .min(1)
      .optional()
      .describe("the version of the application under test, for reports, baselines and reliability"),
    secrets: z.record(z.string(), z.string()).optional().describe("values of secret steps, by step id"),
    baselines: z
      .object({ capture: z.string().min(1).optional(), check: z.string().min(1).optional() })
      .strict()
      .optional()
      .describe(
        "visual baselines along the run: capture each page it visits for version `capture`; check each against the approved baselines of version `check`",
      ),
    wait: z.boolean().default(false).describe("answer when the run has finished instead of at once"),
  })
  .strict()
  .refine((b) => (b.plan === undefined) !== (b.requirements === undefined), {
    message: "give either plan or requirements",
    path: ["plan"],
  })
  .refine((b) => b.requirements === undefined || b.url !== undefined, {
    message: "requirements need the application's url",
    path: ["url"],
  });

export const ActionBody = z
  .object({
    wait: z.boolean().default(false).describe("answer when it is done instead of at once (202)"),
    reason: z.string().min(1).optional().describe("why, recorded with a stop"),
  })
  .strict();
export const ResumeBody = ActionBody.extend({
  secrets: z
    .record(z.string(), z.string())
    .optional()
    .describe("values the run types: by secret step id, or by the NAME of an ${env:NAME} the plan uses"),
}).strict();

export const ReplayBody = z
  .object({
    mode: z
      .enum(["refold", "reexecute"])
      .describe("refold: fold the events again and compare; reexecute: run the recorded steps again"),
    secrets: z
      .record(z.string(), z.string())
      .optional()
      .describe("for reexecute: values of secret steps, by step id"),
    wait: z.boolean().default(true).describe("for reexecute: answer when it is done (false: 202 at once)"),
  })
  .strict();

export async function planOf(body: z.infer<typeof StartBody>): Promise<TestPlan> {
  try {
    return (await planFromInput(body, { source: "body.plan" })).plan;
  } catch (error) {
    if (error instanceof RequirementsError) throw new HttpError(400, "bad_requirements", error.message);
    throw error;
  }
}

/** The summary the API gives of a run: identity, status, counts and where to read more. */
export function runSummary(state: RunDetails) {
  const counts = stepCounts(state);
  return {
    run_id: state.run_id,
    status: state.status,
    plan_id: state.plan?.plan_id ?? null,
    plan_name: state.plan?.name ?? null,
    application_url: state.application_url ?? null,
    application_version: state.application_version ?? null,
    driver: state.driver ?? null,
    source: state.source ?? null,
    related_run: state.related_run ?? null,
    version: state.version,
    requested_at: state.requested_at ?? null,
    started_at: state.started_at ?? null,
    completed_at: state.completed_at ?? null,
    duration_ms: state.duration_ms ?? null,
    steps: {
      total: state.steps.length,
      passed: counts.succeeded,
      failed: counts.failed,
      skipped: counts.skipped,
      healed: counts.healed,
    },
    current_step: state.current_index ?? null,
    error: state.error ?? null,
  };
}

export function links(runId: string) {
  const base = `/api/runs/${runId}`;
  return {
    self: base,
    events: `${base}/events`,
    report_html: `${base}/report?format=html`,
    report_json: `${base}/report?format=json`,
    report_junit: `${base}/report?format=junit`,
    export: `${base}/export?format=playwright`,
  };
}

/**
 * Where a run stands in the work queue: `queued` (waiting for a worker with a free browser), `claimed` (a
 * worker holds its lease; `live` false when the lease ran out and another worker will take it over).
 */
export function queueView(entry: QueueEntry | undefined) {
  if (!entry || entry.status === "done") return null;
  const { status, worker, queued_at, claimed_at, lease_until, live, claims } = entry;
  return { status, worker, queued_at, claimed_at, lease_until, live, claims };
}

/** The status a person reads: a run waiting in the queue is `queued`, whatever its log says so far. */
export function shownStatus(status: string, entry: QueueEntry | undefined): string {
  return entry?.status === "queued" ? "queued" : status;
}
