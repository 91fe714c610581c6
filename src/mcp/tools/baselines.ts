import { z } from "zod";
import { ScreenRegion } from "../../domain/drift/baseline.js";
import type { DriftService } from "../../engine/drift/service.js";
import { listBaselines } from "../../projections/visual-baselines.js";
import type { McpContext } from "../context.js";
import { defineTool, png, result, ToolError } from "../tool.js";

const Page = {
  url: z.url({ protocol: /^https?$/ }),
  page: z.string().min(1).describe("Page id (login)"),
  app_version: z.string().min(1),
};

export function driftOf(ctx: McpContext): DriftService {
  if (!ctx.drift) throw new ToolError("Visual baselines are not available in this server.");
  return ctx.drift;
}

export const captureBaseline = defineTool({
  name: "capture_baseline",
  title: "Capture a visual baseline",
  description:
    "Record a page as it looks now as the baseline of its page id and app version (ignore_regions: not compared). Returns baseline_id and the screenshot.",
  input: { ...Page, ignore_regions: z.array(ScreenRegion).default([]) },
  handler: async (args, ctx) => {
    const drift = driftOf(ctx);
    const captured = await drift.capture({
      url: args.url,
      page: args.page,
      version: args.app_version,
      ignore: args.ignore_regions,
    });
    return result(
      `Captured baseline ${captured.baseline_id} for ${args.page} at ${args.app_version}. Review the screenshot, then call approve_baseline with this baseline_id and screenshot_hash.`,
      captured,
      [png(await ctx.blobs.get(captured.screenshot_hash))],
    );
  },
});

export const approveBaseline = defineTool({
  name: "approve_baseline",
  title: "Approve a visual baseline",
  description:
    "Approve a captured baseline; pass the screenshot_hash you reviewed (refused if captured again since).",
  input: {
    baseline_id: z.uuid(),
    approved_by: z.string().min(1),
    screenshot_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    note: z.string().optional(),
  },
  handler: async (args, ctx) => {
    if (ctx.role && ctx.role !== "admin")
      throw new ToolError(
        `Approving a baseline needs an API key with the admin role; this key is a ${ctx.role}. Capturing and checking work.`,
        "forbidden",
      );
    const state = await driftOf(ctx).approve(
      args.baseline_id,
      args.approved_by,
      args.note,
      args.screenshot_hash,
    );
    return result(
      `Approved ${args.baseline_id} (${state.current?.page_identifier} at ${state.current?.application_version}) as the reference.`,
      { baseline_id: args.baseline_id, status: state.status, approved_by: state.approvedBy },
    );
  },
});

export const checkDrift = defineTool({
  name: "check_drift",
  title: "Check a page for visual drift",
  description:
    "Compare a page now with its approved baseline: severity (none to critical), what changed, impact, actions.",
  input: Page,
  handler: async (args, ctx) => {
    const r = await driftOf(ctx).check({ url: args.url, page: args.page, version: args.app_version });
    const lines = [
      `${args.page}: ${r.severity}${r.drift_detected ? "" : " (no drift)"}, similarity ${r.similarity.toFixed(4)}`,
      ...(r.drift_detected
        ? [r.description, `Impact: ${r.impact_assessment}`, ...r.recommended_actions.map((a) => `- ${a}`)]
        : []),
    ];
    const images = r.current_screenshot_hash ? [png(await ctx.blobs.get(r.current_screenshot_hash))] : [];
    return result(lines.join("\n"), r, images);
  },
});

export const listVisualBaselines = defineTool({
  name: "list_baselines",
  title: "List visual baselines",
  description: "Baselines per page and app version: state, by whom, drift checks, latest severity.",
  readOnly: true,
  input: { page: z.string().min(1).optional(), app_version: z.string().min(1).optional() },
  handler: async (args, ctx) => {
    await ctx.runner.catchUp();
    const rows = await listBaselines(ctx.store.db, { page: args.page, version: args.app_version });
    return result(
      rows.length
        ? rows
            .map(
              (b) =>
                `${b.baseline_id} ${b.page_identifier}@${b.application_version} ${b.status}${b.approved_by ? ` by ${b.approved_by}` : ""}; ${b.detections} checks${b.last_severity ? `, last ${b.last_severity}` : ""}`,
            )
            .join("\n")
        : "No baselines yet: capture one with capture_baseline.",
      { baselines: rows },
    );
  },
});
