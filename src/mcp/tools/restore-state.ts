import { z } from "zod";
import { restoreSnapshot } from "../../adapters/browser/snapshot.js";
import { activeSession, defineTool, RunId, result, ToolError } from "../tool.js";

export const restoreState = defineTool({
  name: "restore_state",
  title: "Restore a state",
  description: "Bring an interactive run's browser back to a state from get_state_snapshot.",
  input: {
    run_id: RunId,
    snapshot_hash: z.string().regex(/^[a-f0-9]{64}$/, "snapshot_hash must be a hash from get_state_snapshot"),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.run_id);
    const snapshot = await ctx.snapshots.load(args.snapshot_hash).catch(() => {
      throw new ToolError(
        `No snapshot ${args.snapshot_hash}. Call get_state_snapshot for a run's snapshots.`,
        "not_found",
      );
    });
    const report = await restoreSnapshot(session, snapshot);
    return result(
      `Restored ${snapshot.url}: URL ${report.urlMatches ? "matches" : "differs"}, storage ${report.storageMatches ? "matches" : "differs"}, scroll ${report.scrollMatches ? "matches" : "differs"}.`,
      { run_id: args.run_id, ...report },
    );
  },
});
