import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { DriverKind } from "../../ports/browser.js";
import { healingTotals, hourlyMetric } from "../../projections/metrics.js";
import { reliabilityScores } from "../../projections/reliability.js";
import { runsByStatus } from "../../projections/run-report/queries.js";
import { relayPositions } from "../../relay/positions.js";
import type { AppContext } from "../context.js";
import { MetricsText } from "../prometheus.js";

const KINDS: DriverKind[] = ["playwright", "webdriverio"];

export function registerOpsRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, pool, runner } = ctx;
  // Launching a browser is not free: a readiness answer holds for a few seconds.
  type Check = { ok: boolean; error?: string; at: number };
  const health = new Map<DriverKind, Check>();
  const checkBrowser = async (kind: DriverKind): Promise<Check> => {
    const cached = health.get(kind);
    if (cached && Date.now() - cached.at < 10_000) return cached;
    const result = await pool
      .check(kind)
      .then((): Check => ({ ok: true, at: Date.now() }))
      .catch((error: Error) => ({ ok: false, error: error.message, at: Date.now() }));
    health.set(kind, result);
    return result;
  };

  routes.add(app, {
    method: "GET",
    url: "/health",
    role: "public",
    tag: "operations",
    summary: "Liveness: the process answers.",
    handler: async () => ({ status: "ok", version: ctx.version }),
  });

  routes.add(app, {
    method: "GET",
    url: "/ready",
    role: "public",
    tag: "operations",
    summary: "Readiness: the database answers and the default browser can be launched.",
    handler: async (_input, _request, reply) => {
      const database = await store.db
        .query("SELECT 1")
        .then(() => ({ ok: true }))
        .catch((error: Error) => ({ ok: false, error: error.message }));
      const browser = await checkBrowser(ctx.defaultDriver);
      const ready = database.ok && browser.ok;
      return reply.status(ready ? 200 : 503).send({
        status: ready ? "ready" : "not_ready",
        checks: { database, browser: { driver: ctx.defaultDriver, ok: browser.ok, error: browser.error } },
      });
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/metrics",
    role: "public",
    tag: "operations",
    summary:
      "Prometheus metrics: executions, pass rate, adapter health, healing, request latency, projection lag.",
    produces: ["text/plain"],
    handler: async (_input, _request, reply) => {
      const counts = await runsByStatus(store.db);
      const byStatus = Object.keys(counts)
        .sort()
        .map((status) => ({ status, n: counts[status]! }));
      const finished = byStatus.filter((r) => r.status === "passed" || r.status === "failed");
      const total = finished.reduce((a, r) => a + r.n, 0);
      const passed = counts.passed ?? 0;
      const healing = await healingTotals(store.db);
      const projections = await runner.status();
      const relays = await relayPositions(store.db);
      const head = projections[0]?.head ?? (await store.headPosition());
      const stats = pool.stats();
      const adapters = KINDS.filter((k) => pool.kinds().includes(k)).map(
        (k) => [{ adapter: k }, health.get(k)?.ok === false ? 0 : 1] as [Record<string, string>, number],
      );
      const vision = ctx.vision?.status();
      const visionAdapters = vision?.adapters ?? [];
      const text = new MetricsText()
        .family(
          "testdriver_test_executions_total",
          "counter",
          "Test runs by status.",
          byStatus.map((r) => [{ status: r.status }, Number(r.n)]),
        )
        .family("testdriver_test_pass_rate", "gauge", "Passed runs over finished runs.", [
          [{}, total === 0 ? 0 : passed / total],
        ])
        .family(
          "testdriver_adapter_health_status",
          "gauge",
          "1 when the browser adapter could launch at its last check, else 0.",
          adapters,
        )
        .family("testdriver_healing_attempts_total", "counter", "Locator healing attempts.", [
          [{}, Number(healing.attempts)],
        ])
        .family("testdriver_healing_successful_total", "counter", "Heals whose following check passed.", [
          [{}, Number(healing.successful)],
        ])
        .family(
          "testdriver_projection_lag_events",
          "gauge",
          "Events in the log a projection has not applied yet.",
          projections.map((p) => [{ projection: p.name }, p.lag]),
        )
        .family("testdriver_event_log_head_position", "gauge", "The highest visible global log position.", [
          [{}, head],
        ])
        .family(
          "testdriver_relay_lag_events",
          "gauge",
          "Events in the log a relay has not published yet.",
          relays.map((r) => [{ relay: r.name }, Math.max(0, head - Number(r.position))]),
        )
        .family(
          "testdriver_relay_published_total",
          "counter",
          "Events a relay has published (acknowledged by the broker).",
          relays.map((r) => [{ relay: r.name }, Number(r.published ?? 0)]),
        )
        .family("testdriver_browser_sessions_active", "gauge", "Browser sessions in use.", [
          [{}, stats.active],
        ])
        .family("testdriver_browser_sessions_waiting", "gauge", "Runs waiting for a browser session.", [
          [{}, stats.waiting],
        ])
        .family("testdriver_browser_crashes_total", "counter", "Browser processes that died.", [
          [{}, stats.crashes],
        ])
        .family(
          "testdriver_vision_adapter_active",
          "gauge",
          "1 for the vision adapter serving calls now, 0 for the other.",
          visionAdapters.map((a) => [{ adapter: a.name, model: a.model }, a.name === vision?.active ? 1 : 0]),
        )
        .family(
          "testdriver_vision_adapter_health_status",
          "gauge",
          "1 when the vision adapter's last health check passed (healthy or degraded), else 0.",
          visionAdapters.map((a) => [{ adapter: a.name }, vision?.health[a.name] === "failed" ? 0 : 1]),
        )
        .family(
          "testdriver_vision_adapter_switches_total",
          "counter",
          "Switches between the vision adapter and its fallback in this process.",
          vision ? [[{}, vision.switches]] : [],
        )
        .family(
          "testdriver_vision_adapter_error_rate",
          "gauge",
          "The vision adapter's error rate over its last calls.",
          vision ? [[{ adapter: vision.primary }, vision.error_rate]] : [],
        )
        .raw(ctx.latency.lines("testdriver_http_request_duration_seconds", "HTTP request latency."));
      return reply.type("text/plain; version=0.0.4; charset=utf-8").send(text.toString());
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/openapi.json",
    role: "public",
    tag: "operations",
    summary: "This API's OpenAPI 3.1 document, generated from the same zod schemas that validate requests.",
    handler: async () => routes.openapi({ title: "TestDriver API", version: ctx.version }),
  });

  routes.add(app, {
    method: "GET",
    url: "/api/reliability",
    role: "viewer",
    tag: "reliability",
    summary:
      "Reliability scores per test, page (module) and adapter: score, pass rate, stability, recovery rate.",
    query: z.object({
      entity_type: z
        .enum(["test", "module", "adapter"])
        .optional()
        .describe("only tests (plans), modules (pages) or adapters; all when absent"),
      plan_id: z.string().min(1).optional().describe("only the scores of this plan's runs"),
    }),
    handler: async ({ query }) => {
      const scores = await reliabilityScores(store.db, { planId: query.plan_id });
      return { scores: scores.filter((s) => !query.entity_type || s.entity_type === query.entity_type) };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/metrics/series",
    role: "viewer",
    tag: "reliability",
    summary: "A measurement over time, hourly (avg, min, max, count), from the metrics read model.",
    query: z.object({
      name: z
        .enum([
          "run_duration_ms",
          "run_pass_rate",
          "steps_healed",
          "step_duration_ms",
          "wait_ms",
          "healing_attempt",
          "healing_confidence",
          "healing_successful",
          "page_ttfb_ms",
          "page_fcp_ms",
          "page_lcp_ms",
          "page_cls",
          "page_tbt_ms",
          "page_tti_ms",
          "page_transfer_bytes",
        ])
        .describe("the measurement"),
      since: z.iso
        .datetime({ offset: true, error: "must be an ISO 8601 time" })
        .optional()
        .describe("hours from this ISO 8601 time on (default: all)"),
    }),
    handler: async ({ query }) => {
      return { name: query.name, points: await hourlyMetric(store.db, query.name, query.since) };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/projections",
    role: "viewer",
    tag: "operations",
    summary: "Each read model's checkpoint, the log head and the lag between them.",
    handler: async () => ({ projections: await runner.status() }),
  });

  routes.add(app, {
    method: "POST",
    url: "/api/projections/:name/rebuild",
    role: "admin",
    tag: "operations",
    summary: "Empty a read model and fold it again from the start of the log.",
    params: z.object({
      name: z
        .enum(runner.projections.map((p) => p.name) as [string, ...string[]])
        .describe("the read model, as GET /api/projections names it"),
    }),
    handler: async ({ params }) => {
      await runner.rebuild(params.name);
      return { rebuilt: params.name, status: (await runner.status()).find((s) => s.name === params.name) };
    },
  });
}
