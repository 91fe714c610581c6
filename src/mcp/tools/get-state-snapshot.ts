import { z } from "zod";
import { consoleErrorsOf, failedRequestsOf } from "../../ports/page.js";
import { readRunDetails } from "../../projections/run-report/queries.js";
import { defineTool, loadTest, png, RunId, result } from "../tool.js";
import { At, pointOf } from "./point-in-test.js";

export const getStateSnapshot = defineTool({
  name: "get_state_snapshot",
  title: "Get a state snapshot",
  description:
    "A run's recorded state at a point (default latest): URL, cookies, storage, errors, failed requests, screenshot, hash for restore_state.",
  readOnly: true,
  input: { run_id: RunId, at: At.optional(), screenshot: z.boolean().default(true) },
  handler: async (args, ctx) => {
    const state =
      args.at === undefined
        ? await loadTest(ctx, args.run_id)
        : await readRunDetails(ctx.store, args.run_id, pointOf(args.at));
    if (args.at !== undefined) await loadTest(ctx, args.run_id);
    const ref = state.snapshots.at(-1);
    if (!ref)
      return result(`Run ${args.run_id} had recorded no snapshot by then (version ${state.version}).`, {
        run_id: args.run_id,
        version: state.version,
        snapshot: null,
      });
    const snapshot = await ctx.snapshots.load(ref.snapshot_hash);
    const images =
      args.screenshot && snapshot.screenshotHash ? [png(await ctx.blobs.get(snapshot.screenshotHash))] : [];
    const consoleErrors = consoleErrorsOf(snapshot);
    const errors = consoleErrors.length + snapshot.jsErrors.length;
    const failed = failedRequestsOf(snapshot);
    return result(
      `Snapshot ${ref.snapshot_hash.slice(0, 12)} of ${snapshot.url} ("${snapshot.pageTitle}") after ${snapshot.executedSteps.length} steps; ${snapshot.cookies.length} cookies, ${errors} console/JS errors, ${failed.length} failed requests.`,
      {
        run_id: args.run_id,
        version: state.version,
        snapshot_hash: ref.snapshot_hash,
        step_index: ref.index ?? null,
        url: snapshot.url,
        title: snapshot.pageTitle,
        cookies: snapshot.cookies.map((c) => ({ name: c.name, domain: c.domain })),
        local_storage: snapshot.localStorage,
        session_storage: snapshot.sessionStorage,
        console_errors: consoleErrors,
        js_errors: snapshot.jsErrors.map((e) => e.message),
        failed_requests: failed,
        executed_steps: snapshot.executedSteps,
      },
      images,
    );
  },
});
