import { z } from "zod";
import { STEP_STATUSES, TEST_STATUSES } from "../../domain/plan/model.js";

/**
 * The shapes the run, report, event, time-travel and heal routes answer with, for the OpenAPI document.
 * They name what a client can rely on; nested records a client reads as a whole (a step's located elements,
 * a heal's evidence) are open objects, so adding a field there is not a breaking change.
 */

const Time = z.string().describe("an ISO 8601 time");
const Nullable = <S extends z.ZodType>(s: S) => s.nullable();
const RunStatus = z.enum([...TEST_STATUSES, "queued"]).describe("queued while the run waits for a worker");

export const Links = z
  .object({
    self: z.string(),
    events: z.string(),
    report_html: z.string(),
    report_json: z.string(),
    report_junit: z.string(),
    export: z.string(),
  })
  .describe("where to read more about the run");

export const QueueView = Nullable(
  z.looseObject({
    status: z.enum(["queued", "claimed"]),
    worker: Nullable(z.string()),
    queued_at: z.unknown(),
    claimed_at: z.unknown(),
    lease_until: z.unknown(),
    live: z.unknown(),
    claims: z.unknown(),
  }),
).describe("where the run stands in the work queue; null once a worker has finished with it");

export const RunSummary = z.object({
  run_id: z.uuid(),
  status: RunStatus,
  plan_id: Nullable(z.string()),
  plan_name: Nullable(z.string()),
  application_url: Nullable(z.string()),
  application_version: Nullable(z.string()),
  driver: Nullable(z.string()),
  source: Nullable(z.string()),
  related_run: Nullable(z.string()),
  version: z.number().int().describe("the run stream's version: how many events it has"),
  requested_at: Nullable(Time),
  started_at: Nullable(Time),
  completed_at: Nullable(Time),
  duration_ms: Nullable(z.number()),
  steps: z.object({
    total: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    healed: z.number().int(),
  }),
  current_step: Nullable(z.number().int()).describe("the index (from 0) of the step under way"),
  error: Nullable(z.string()),
});

export const RunStarted = z.object({
  run_id: z.uuid(),
  status: z.enum(["queued", "pending"]).describe("queued for a worker, or pending where runs are not queued"),
  links: Links,
});

const ReportStep = z.looseObject({
  index: z.number().int().describe("from 0; people read it as step index + 1"),
  step_id: z.string(),
  phase: z.enum(["setup", "test", "teardown"]),
  action: z.string(),
  description: z.string(),
  status: z.enum(STEP_STATUSES),
  attempts: z.number().int(),
  duration_ms: Nullable(z.number()),
  strategy: Nullable(z.string()),
  confidence: Nullable(z.number()),
  locator: z.unknown(),
  error: Nullable(z.string()),
  screenshot: Nullable(z.string()).describe("content hash: GET /api/runs/{id}/artifacts/{hash}"),
});

export const RunDetail = RunSummary.extend({
  queue: QueueView,
  step_details: z.array(ReportStep),
  links: Links,
});

export const RunList = z.object({
  runs: z.array(
    z.looseObject({
      run_id: z.uuid(),
      status: RunStatus,
      plan_id: Nullable(z.string()),
      plan_name: Nullable(z.string()),
      application_url: z.string(),
      application_version: Nullable(z.string()),
      requested_at: Nullable(Time),
      completed_at: Nullable(Time),
      total_steps: z.number().int(),
      passed_steps: z.number().int(),
      failed_steps: z.number().int(),
      queue: QueueView,
    }),
  ),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const Report = z
  .looseObject({
    schema_version: z.literal(1),
    run_id: z.uuid(),
    status: z.enum(TEST_STATUSES),
    plan: Nullable(z.looseObject({ plan_id: z.string(), name: z.string(), application_url: z.string() })),
    application_version: Nullable(z.string()),
    summary: z.object({
      total: z.number().int(),
      passed: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      healed: z.number().int(),
      pass_rate: z.number().describe("passed over executed steps, 0 to 1"),
    }),
    steps: z.array(ReportStep),
    failures: z.array(z.looseObject({ index: z.number().int(), step_id: z.string() })),
    warnings: z.array(z.object({ kind: z.string(), message: z.string() })),
    heals: z.array(z.looseObject({ healing_id: z.uuid(), step_id: z.string(), decision: z.string() })),
    error: Nullable(z.string()),
  })
  .describe(
    "the JSON report (format=json); format=html and format=junit answer the same as a page and as XML",
  );

export const RecordedEvent = z.object({
  eventId: z.uuid(),
  streamId: z.string().describe("run-<run id> for a run's events"),
  streamType: z.string(),
  streamVersion: z.number().int().describe("1 for a stream's first event, counting up without gaps"),
  globalPosition: z.number().int().describe("position in the global log"),
  type: z.string().describe("RunRequested, StepStarted, StepPassed, LocatorHealed, RunCompleted, …"),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  recordedAt: Time,
});

export const RunEventsPage = z.object({
  events: z.array(RecordedEvent),
  next_from_version: Nullable(z.number().int()).describe(
    "pass as from_version for the next page; null at the end",
  ),
});

export const LogPage = z.object({
  events: z.array(RecordedEvent),
  next_from: z.number().int().describe("pass as from for the next page"),
});

export const StateAt = z.object({
  run_id: z.uuid(),
  at: z
    .union([
      z.object({ version: z.number().int() }),
      z.object({ time: Time }),
      z.object({ step: z.number().int() }),
    ])
    .describe("the point asked for"),
  version: z.number().int().describe("the last event folded"),
  status: z.enum(TEST_STATUSES),
  current_step: Nullable(z.looseObject({ index: z.number().int(), step_id: z.string(), status: z.string() })),
  snapshot: Nullable(
    z.looseObject({ snapshot_hash: z.string(), screenshot_hash: z.string().optional(), url: z.string() }),
  ).describe("the last page snapshot up to that point"),
  screenshot_url: Nullable(z.string()),
  state: z.looseObject({ run_id: z.uuid(), status: z.string(), steps: z.array(z.looseObject({})) }),
});

export const HealList = z.object({
  heals: z.array(
    z.looseObject({
      healing_id: z.uuid(),
      run_id: z.uuid(),
      step_id: z.string(),
      decision: z.string().describe("auto_commit, propose or manual_review"),
      confidence: z.number(),
      method: z.string(),
      old_locator: z.unknown(),
      new_locator: z.unknown(),
      successful: Nullable(z.boolean()),
      review: z.enum(["pending", "approved", "rejected"]),
      reviewer: Nullable(z.string()),
      details: z.looseObject({}).optional().describe("with details=true: what a reviewer needs"),
    }),
  ),
});

export const HealReviewed = z.object({
  healing_id: z.uuid(),
  review: Nullable(z.looseObject({ approved: z.boolean(), reviewer: z.string() })),
});

export const Accepted = z.object({
  run_id: z.uuid(),
  accepted: z.enum(["stop", "resume", "heal"]),
  links: Links,
});
