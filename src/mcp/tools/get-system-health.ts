import type { DriverKind } from "../../ports/browser.js";
import type { McpContext } from "../context.js";
import { defineTool, result } from "../tool.js";

export async function adapterHealth(ctx: McpContext, kind: DriverKind) {
  const started = performance.now();
  const check = await ctx.pool
    .check(kind)
    .then(() => ({ ok: true as const }))
    .catch((error: Error) => ({ ok: false as const, error: error.message }));
  return { adapter: kind, ...check, check_ms: Math.round(performance.now() - started) };
}

export const getSystemHealth = defineTool({
  name: "get_system_health",
  title: "Get system health",
  description: "Whether TestDriver can work now: database, browser, read-model lag, busy sessions.",
  readOnly: true,
  input: {},
  handler: async (_args, ctx) => {
    const started = performance.now();
    const database = await ctx.store.db
      .query("SELECT 1")
      .then(() => ({ ok: true, latency_ms: Math.round(performance.now() - started) }))
      .catch((error: Error) => ({ ok: false, error: error.message }));
    const browser = await adapterHealth(ctx, ctx.defaultDriver);
    const projections = await ctx.runner.status();
    const maxLag = Math.max(0, ...projections.map((p) => p.lag));
    const healthy = database.ok && browser.ok;
    return result(
      `${healthy ? "Healthy" : "Unhealthy"}: database ${database.ok ? "ok" : "down"}, ${browser.adapter} ${browser.ok ? "launches" : `fails: ${"error" in browser ? browser.error : ""}`}, read-model lag ${maxLag} events, ${ctx.pool.stats().active} browser sessions busy.`,
      { healthy, version: ctx.version, database, browser, projections, sessions: ctx.pool.stats() },
    );
  },
});
