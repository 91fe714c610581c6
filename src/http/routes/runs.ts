import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { TestPlan } from "../../domain/plan/model.js";
import { RequirementsError } from "../../domain/planner/requirements-plan.js";
import { runStreamId } from "../../domain/run/events.js";
import { stepCounts } from "../../domain/run/state.js";
import { planFromInput } from "../../engine/planners/plan-input.js";
import { startReexecution } from "../../engine/reexecute.js";
import { ResumeSecretsError } from "../../engine/resume/secrets.js";
import { exportPlaywright } from "../../projections/export-playwright.js";
import { refoldRun } from "../../projections/refold.js";
import { renderHtml } from "../../projections/render-html.js";
import { renderJUnit } from "../../projections/render-junit.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { listRuns, RUN_STATUS_FILTERS, readRunDetails } from "../../projections/run-report/queries.js";
import { buildRunReport } from "../../projections/run-report/report.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";

const RunParams = z.object({ id: z.uuid("must be a run id (a UUID)") });
const Driver = z.enum(["playwright", "webdriverio"]);

const ListQuery = z.object({
  status: z.enum(RUN_STATUS_FILTERS).optional(),
  plan_id: z.string().min(1).optional(),
  application: z.string().min(1).optional().describe("the application's URL, or its start (an origin)"),
  application_version: z.string().min(1).optional(),
  since: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" }).optional(),
  until: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const StartBody = z
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
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    driver: Driver.optional(),
    application_version: z.string().min(1).optional(),
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

/** `at` is a stream version (whole number) or an ISO 8601 time. */
const AtQuery = z.object({
  at: z
    .string()
    .min(1)
    .transform((value, ctx) => {
      if (/^\d{1,15}$/.test(value)) return { version: Number(value) };
      const time = new Date(value);
      if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(time.getTime())) return { time };
      ctx.addIssue({ code: "custom", message: "give a stream version (a whole number) or an ISO 8601 time" });
      return z.NEVER;
    }),
});

const ActionBody = z
  .object({ wait: z.boolean().default(false), reason: z.string().min(1).optional() })
  .strict();
const ResumeBody = ActionBody.extend({
  secrets: z
    .record(z.string(), z.string())
    .optional()
    .describe("values the run types: by secret step id, or by the NAME of an ${env:NAME} the plan uses"),
}).strict();

/** Resumes with the body's secrets; wrong or missing ones are a 400 naming the keys (never the values). */
async function resumeRun(engine: AppContext["engine"], runId: string, body: z.infer<typeof ActionBody>) {
  const secrets = "secrets" in body ? (body as z.infer<typeof ResumeBody>).secrets : undefined;
  try {
    return await engine.beginResume(runId, { secrets });
  } catch (error) {
    if (error instanceof ResumeSecretsError)
      throw new HttpError(
        400,
        error.kind === "invalid" ? "invalid_secrets" : "secrets_missing",
        error.message,
        error.problems,
      );
    throw error;
  }
}

const ReplayBody = z
  .object({
    mode: z.enum(["refold", "reexecute"]),
    secrets: z.record(z.string(), z.string()).optional(),
    wait: z.boolean().default(true),
  })
  .strict();

async function planOf(body: z.infer<typeof StartBody>): Promise<TestPlan> {
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

export function registerRunRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, engine, store, blobs } = ctx;
  const load = async (id: string) => {
    const state = await engine.details(id);
    if (state.status === "none") throw new HttpError(404, "no_run", `no run ${id}; GET /api/runs lists runs`);
    return state;
  };
  const background = (runId: string, done: Promise<unknown>) =>
    done.catch((error) => ctx.logger?.error({ err: error, runId }, "run failed in the background"));

  routes.add(app, {
    method: "GET",
    url: "/api/runs",
    role: "viewer",
    tag: "runs",
    summary:
      "List runs, newest first, filtered by status, plan, application (URL or its start) and version, and time (the runs read model).",
    query: ListQuery,
    handler: async ({ query }) => {
      // Read after the log, not behind it: a client that saw an event (over the stream) sees its run.
      await ctx.runner.catchUp();
      const rows = await listRuns(store.db, query);
      return { runs: rows, limit: query.limit, offset: query.offset };
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/runs",
    role: "runner",
    tag: "runs",
    summary: "Start a run of a plan or of requirements; answers at once (202) unless wait is true.",
    body: StartBody,
    handler: async ({ body }, request, reply) => {
      const plan = await planOf(body);
      const runId = await engine.start({
        plan,
        driver: body.driver,
        applicationVersion: body.application_version,
        source: body.requirements ? "requirements" : "api",
        planner: body.requirements ? "deterministic" : "file",
        requestedBy: request.caller?.name ?? "api",
        secrets: body.secrets,
        baselines: body.baselines,
      });
      const done = engine.execute(runId);
      if (body.wait) return runSummary(await done);
      background(runId, done);
      return reply.status(202).send({ run_id: runId, status: "pending", links: links(runId) });
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id",
    role: "viewer",
    tag: "runs",
    summary: "A run's summary and its steps, folded from its events (always current).",
    params: RunParams,
    handler: async ({ params }) => {
      const state = await load(params.id);
      return { ...runSummary(state), step_details: buildRunReport(state).steps, links: links(params.id) };
    },
  });

  for (const [action, summary] of [
    ["stop", "Stop a run after its current step, saving its state so it can be resumed."],
    ["resume", "Continue a stopped run, or one whose process died, from its last snapshot."],
    ["heal", "Re-run a failed run from its first failed step, healing locators that no longer match."],
  ] as const) {
    routes.add(app, {
      method: "POST",
      url: `/api/runs/:id/${action}`,
      role: "runner",
      tag: "runs",
      summary,
      params: RunParams,
      body: action === "resume" ? ResumeBody : ActionBody,
      handler: async ({ params, body }, _request, reply) => {
        await load(params.id);
        let done: Promise<RunDetails>;
        if (action === "stop") {
          // Not executing here: the log decides at once, so a refusal (a passed run) is an error, not a 202.
          const here = engine.isActive(params.id);
          done = engine.stop(params.id, { reason: body.reason });
          if (!here) await done;
        } else if (action === "resume") done = (await resumeRun(engine, params.id, body)).done;
        else done = (await engine.beginHeal(params.id)).done;
        if (body.wait) return runSummary(await done);
        background(params.id, done);
        return reply.status(202).send({ run_id: params.id, accepted: action, links: links(params.id) });
      },
    });
  }

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/report",
    role: "viewer",
    tag: "reports",
    summary: "The run's report: self-contained HTML, JSON (schema_version 1) or JUnit XML.",
    params: RunParams,
    query: z.object({ format: z.enum(["html", "json", "junit"]).default("json") }),
    produces: ["application/json", "text/html", "application/xml"],
    handler: async ({ params, query }, _request, reply) => {
      const report = buildRunReport(await load(params.id));
      if (query.format === "json") return report;
      if (query.format === "junit")
        return reply.type("application/xml; charset=utf-8").send(renderJUnit(report));
      const html = await renderHtml(report, (hash) => blobs.get(hash).catch(() => undefined));
      return reply.type("text/html; charset=utf-8").send(html);
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/events",
    role: "viewer",
    tag: "events",
    summary: "The run's events in order, a page at a time from a stream version.",
    params: RunParams,
    query: z.object({
      from_version: z.coerce.number().int().min(1).default(1),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
    handler: async ({ params, query }) => {
      await load(params.id);
      const events = await store.readStream(runStreamId(params.id), {
        fromVersion: query.from_version,
        limit: query.limit + 1,
      });
      const page = events.slice(0, query.limit);
      return {
        events: page,
        next_from_version: events.length > query.limit ? page.at(-1)!.streamVersion + 1 : null,
      };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/state",
    role: "viewer",
    tag: "time travel",
    summary:
      "The run as it stood at a stream version or a moment: folded state, current step, and the snapshot and screenshot of that point.",
    params: RunParams,
    query: AtQuery,
    handler: async ({ params, query }) => {
      await load(params.id);
      const state = await readRunDetails(store, params.id, query.at);
      if (state.status === "none")
        throw new HttpError(
          404,
          "before_run",
          `run ${params.id} had not been requested at ${JSON.stringify(query.at)}`,
        );
      const snapshot = state.snapshots.at(-1) ?? null;
      const current = state.current_index === undefined ? null : state.steps[state.current_index];
      return {
        run_id: params.id,
        at: "version" in query.at ? { version: query.at.version } : { time: query.at.time.toISOString() },
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

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/artifacts/:hash",
    role: "viewer",
    tag: "reports",
    summary: "A screenshot (PNG) or snapshot (JSON) the run recorded, by content hash.",
    params: RunParams.extend({ hash: z.string().regex(/^[a-f0-9]{64}$/, "must be a sha256 hex hash") }),
    produces: ["image/png", "application/json"],
    handler: async ({ params }, _request, reply) => {
      const state = await load(params.id);
      // Only what this run recorded: a key to one run's artifacts is not a key to every blob.
      const mentioned = JSON.stringify(state).includes(params.hash);
      if (!mentioned)
        throw new HttpError(404, "no_artifact", `run ${params.id} recorded no artifact ${params.hash}`);
      const bytes = await blobs.get(params.hash);
      const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      return reply.type(png ? "image/png" : "application/json").send(bytes);
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/export",
    role: "viewer",
    tag: "reports",
    summary: "The run as a runnable Playwright Test file, each element by the locator the run resolved.",
    params: RunParams,
    query: z.object({
      format: z.literal("playwright", "the only export format is playwright").default("playwright"),
    }),
    produces: ["text/javascript"],
    handler: async ({ params }, _request, reply) => {
      const source = exportPlaywright(await load(params.id));
      return reply
        .type("text/javascript; charset=utf-8")
        .header("content-disposition", `attachment; filename="testdriver-${params.id}.spec.mjs"`)
        .send(source);
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/runs/:id/replay",
    role: "viewer",
    tag: "time travel",
    summary:
      "refold: fold the run's events again and compare with the read model. reexecute (runner role): run the recorded steps again with the recorded locators, as a new linked run, and compare step by step.",
    params: RunParams,
    body: ReplayBody,
    handler: async ({ params, body }, request, reply) => {
      await load(params.id);
      if (body.mode === "refold") return { mode: "refold", ...(await refoldRun(store, store.db, params.id)) };
      if (request.caller && request.caller.role === "viewer")
        throw new HttpError(403, "forbidden", "reexecute runs a browser: it needs the runner role");
      const started = await startReexecution(engine, params.id, { secrets: body.secrets });
      if (!body.wait) {
        background(started.replayId, started.done);
        return reply.status(202).send({
          mode: "reexecute",
          replay_run_id: started.replayId,
          pinned_locators: started.pinned,
          links: links(started.replayId),
        });
      }
      const { replay, steps } = await started.done;
      return {
        mode: "reexecute",
        original_run_id: params.id,
        replay_run_id: started.replayId,
        pinned_locators: started.pinned,
        status: replay.status,
        same: steps.every((s) => s.same),
        steps,
      };
    },
  });
}

function links(runId: string) {
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
