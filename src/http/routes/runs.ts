import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { runStreamId } from "../../domain/run/events.js";
import { startReexecution } from "../../engine/reexecute.js";
import { exportPlaywright } from "../../projections/export-playwright.js";
import { refoldRun } from "../../projections/refold.js";
import { renderHtml } from "../../projections/render-html.js";
import { renderJUnit } from "../../projections/render-junit.js";
import { listRuns } from "../../projections/run-report/queries.js";
import { buildRunReport } from "../../projections/run-report/report.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";
import { REPLAY_EXAMPLES, START_EXAMPLES } from "./examples.js";
import { Report, RunDetail, RunEventsPage, RunList, RunStarted, RunSummary } from "./response-schemas.js";
import { registerRunActions } from "./run-actions.js";
import {
  ListQuery,
  links,
  planOf,
  queueView,
  ReplayBody,
  RunParams,
  runSummary,
  StartBody,
  shownStatus,
} from "./run-schemas.js";
import { registerTimeTravelRoutes } from "./time-travel.js";

export { runSummary } from "./run-schemas.js";

export function registerRunRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, engine, store, blobs } = ctx;
  const load = async (id: string) => {
    const state = await engine.details(id);
    if (state.status === "none") throw new HttpError(404, "no_run", `no run ${id}; GET /api/runs lists runs`);
    return state;
  };
  /** The runs waiting in the queue, newest first, filtered and paged like the others. */
  const queuedRuns = async (query: z.infer<typeof ListQuery>) => {
    const waiting = new Set(
      ((await engine.leases?.queue.pending(1000)) ?? [])
        .filter((e) => e.status === "queued")
        .map((e) => e.run_id),
    );
    if (waiting.size === 0) return [];
    const rows = await listRuns(store.db, { ...query, status: undefined, limit: 1000, offset: 0 });
    return rows.filter((r) => waiting.has(r.run_id)).slice(query.offset, query.offset + query.limit);
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
    responses: { 200: { description: "a page of runs", schema: RunList } },
    handler: async ({ query }) => {
      // Read after the log, not behind it: a client that saw an event (over the stream) sees its run.
      await ctx.runner.catchUp();
      const { status, ...rest } = query;
      const rows =
        status === "queued" ? await queuedRuns(query) : await listRuns(store.db, { ...rest, status });
      const queue = await engine.leases?.queue.entries(rows.map((r) => r.run_id));
      const runs = rows.map((r) => {
        const entry = queue?.get(r.run_id);
        return { ...r, status: shownStatus(r.status, entry), queue: queueView(entry) };
      });
      return { runs, limit: query.limit, offset: query.offset };
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/runs",
    role: "runner",
    tag: "runs",
    summary:
      "Start a run of a plan or of requirements. Answers at once with 202 and the run's id (follow it with GET /api/runs/{id}, its events or its stream); with wait: true, answers 200 with the finished run's summary.",
    body: StartBody,
    examples: START_EXAMPLES,
    responses: {
      202: {
        description: "accepted: the run is queued (or pending) and runs in the background",
        schema: RunStarted,
      },
      200: { description: "with wait: true, the finished run's summary", schema: RunSummary },
    },
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
      // Queued for the workers (the one in this process included); a run given secrets runs here.
      const done = engine.submit(runId);
      if (body.wait) return runSummary(await done);
      background(runId, done);
      const status = engine.leases ? "queued" : "pending";
      return reply.status(202).send({ run_id: runId, status, links: links(runId) });
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id",
    role: "viewer",
    tag: "runs",
    summary: "A run's summary and its steps, folded from its events (always current).",
    params: RunParams,
    responses: { 200: { description: "the run and its steps", schema: RunDetail } },
    handler: async ({ params }) => {
      const state = await load(params.id);
      const entry = await engine.leases?.queue.entry(params.id);
      return {
        ...runSummary(state),
        status: shownStatus(state.status, entry),
        queue: queueView(entry),
        step_details: buildRunReport(state).steps,
        links: links(params.id),
      };
    },
  });

  registerRunActions(app, ctx, load, background);

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/report",
    role: "viewer",
    tag: "reports",
    summary: "The run's report: self-contained HTML, JSON (schema_version 1) or JUnit XML.",
    params: RunParams,
    query: z.object({
      format: z
        .enum(["html", "json", "junit"])
        .default("json")
        .describe("json (schema_version 1), html (one self-contained page) or junit (XML for CI)"),
    }),
    produces: ["application/json", "text/html", "application/xml"],
    responses: { 200: { description: "the report in the format asked for", schema: Report } },
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
      from_version: z.coerce
        .number()
        .int()
        .min(1)
        .default(1)
        .describe("the first stream version to return (1: the run's first event)"),
      limit: z.coerce.number().int().min(1).max(1000).default(200).describe("at most this many events"),
    }),
    responses: { 200: { description: "a page of the run's events", schema: RunEventsPage } },
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

  registerTimeTravelRoutes(app, ctx, load);

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/artifacts/:hash",
    role: "viewer",
    tag: "reports",
    summary: "A screenshot (PNG) or snapshot (JSON) the run recorded, by content hash.",
    params: RunParams.extend({
      hash: z
        .string()
        .regex(/^[a-f0-9]{64}$/, "must be a sha256 hex hash")
        .describe("the artifact's sha256, as the run's steps and snapshots name it"),
    }),
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
      format: z
        .literal("playwright", "the only export format is playwright")
        .default("playwright")
        .describe("playwright: a Playwright Test file (the only format)"),
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
    examples: REPLAY_EXAMPLES,
    responses: {
      200: {
        description: "refold: equal or the differing paths; reexecute with wait: the step-by-step comparison",
      },
      202: { description: "reexecute without wait: the replay run's id, running in the background" },
    },
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
