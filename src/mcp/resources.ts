import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { runStreamId } from "../domain/run/events.js";
import { renderHtml } from "../projections/render-html.js";
import { renderJUnit } from "../projections/render-junit.js";
import { listRuns } from "../projections/run-report/queries.js";
import { buildRunReport } from "../projections/run-report/report.js";
import type { McpContext } from "./context.js";
import { screenshotOf } from "./tools/screens.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Recent runs, for resource listings: the newest first, a bounded number. */
async function recentRuns(ctx: McpContext, limit = 50) {
  await ctx.runner.catchUp();
  return listRuns(ctx.store.db, { limit });
}

async function stateOf(ctx: McpContext, id: unknown) {
  const runId = String(id);
  if (!UUID.test(runId)) throw new Error(`${runId} is not a run id; list runs with list_tests`);
  const state = await ctx.engine.details(runId);
  if (state.status === "none") throw new Error(`no run ${runId}; list runs with list_tests`);
  return state;
}

/** Resources read the store, so each waits for the context that opens it (see createMcpServer). */
export function registerResources(server: McpServer, ready: Promise<McpContext>) {
  const report = (
    name: string,
    suffix: string,
    mimeType: string,
    render: (state: Awaited<ReturnType<typeof stateOf>>, ctx: McpContext) => Promise<string>,
  ) =>
    server.registerResource(
      name,
      new ResourceTemplate(`testdriver://runs/{id}/${suffix}`, {
        list: async () => ({
          resources: (await recentRuns(await ready)).map((r) => ({
            uri: `testdriver://runs/${r.run_id}/${suffix}`,
            name: `${r.plan_name ?? "test"} (${r.status}) ${suffix}`,
            mimeType,
          })),
        }),
      }),
      { title: `Run report (${suffix})`, mimeType, description: `A run's report as ${suffix}` },
      async (uri, { id }): Promise<ReadResourceResult> => {
        const ctx = await ready;
        return { contents: [{ uri: uri.href, mimeType, text: await render(await stateOf(ctx, id), ctx) }] };
      },
    );
  report("report-html", "report.html", "text/html", (s, ctx) =>
    renderHtml(buildRunReport(s), (hash) => ctx.blobs.get(hash).catch(() => undefined)),
  );
  report("report-json", "report.json", "application/json", async (s) =>
    JSON.stringify(buildRunReport(s), null, 2),
  );
  report("report-junit", "report.junit.xml", "application/xml", async (s) => renderJUnit(buildRunReport(s)));

  server.registerResource(
    "step-screenshot",
    new ResourceTemplate("testdriver://runs/{id}/steps/{n}/screenshot.png", { list: undefined }),
    {
      title: "Step screenshot",
      mimeType: "image/png",
      description: "The screenshot a run recorded at a step",
    },
    async (uri, { id, n }) => {
      const ctx = await ready;
      const state = await stateOf(ctx, id);
      const hash = screenshotOf(state, Number(n));
      if (!hash) throw new Error(`run ${id} recorded no screenshot up to step ${n}`);
      const bytes = await ctx.blobs.get(hash);
      return { contents: [{ uri: uri.href, mimeType: "image/png", blob: bytes.toString("base64") }] };
    },
  );

  server.registerResource(
    "events",
    new ResourceTemplate("testdriver://runs/{id}/events", { list: undefined }),
    {
      title: "Run events",
      mimeType: "application/json",
      description: "Every event a run recorded, in order",
    },
    async (uri, { id }) => {
      const ctx = await ready;
      await stateOf(ctx, id);
      const events = await ctx.store.readStream(runStreamId(String(id)));
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: "application/json",
            text: JSON.stringify(
              events.map((e) => ({ version: e.streamVersion, type: e.type, at: e.recordedAt, data: e.data })),
            ),
          },
        ],
      };
    },
  );
}
