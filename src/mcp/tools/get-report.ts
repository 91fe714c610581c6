import { z } from "zod";
import { renderHtml } from "../../projections/render-html.js";
import { renderJUnit } from "../../projections/render-junit.js";
import { buildRunReport } from "../../projections/run-report/report.js";
import { defineTool, loadTest, RunId, result, runLine } from "../tool.js";

export const getReport = defineTool({
  name: "get_report",
  title: "Get a test report",
  description:
    "A run's report, running or done: status, steps (timing, how elements were found), failures, heals. html/junit embed the document.",
  readOnly: true,
  input: { run_id: RunId, format: z.enum(["html", "json", "junit"]).default("json") },
  handler: async (args, ctx) => {
    const state = await loadTest(ctx, args.run_id);
    const report = buildRunReport(state);
    const lines = [
      runLine(state),
      ...report.failures.map((f) => `failed ${f.step_id}: ${f.error}`),
      ...report.warnings.map((w) => `warning: ${w.message}`),
    ];
    if (args.format === "json") return result(lines.join("\n"), report);
    const uri = `testdriver://runs/${args.run_id}/report.${args.format === "html" ? "html" : "junit.xml"}`;
    const text =
      args.format === "html"
        ? await renderHtml(report, (hash) => ctx.blobs.get(hash).catch(() => undefined))
        : renderJUnit(report);
    return result(lines.join("\n"), report, [
      {
        type: "resource",
        resource: { uri, mimeType: args.format === "html" ? "text/html" : "application/xml", text },
      },
    ]);
  },
});
