import { z } from "zod";
import { startReexecution } from "../../engine/reexecute.js";
import { refoldRun } from "../../projections/refold.js";
import { readRunDetails } from "../../projections/run-report/queries.js";
import { defineTool, loadTest, RunId, result, ToolError } from "../tool.js";
import { At, pointOf } from "./point-in-test.js";

export const replayTest = defineTool({
  name: "replay_test",
  title: "Replay a test (time travel)",
  description:
    "A past run from its log. state: as it stood at `at`. refold: fold its events again, compare with the read model. reexecute: run it again as a new run (secret steps need secrets {step_id: value}).",
  input: {
    run_id: RunId,
    mode: z.enum(["state", "refold", "reexecute"]),
    at: At.optional(),
    secrets: z.record(z.string(), z.string()).optional(),
  },
  handler: async (args, ctx) => {
    await loadTest(ctx, args.run_id);
    if (args.mode === "state") {
      if (args.at === undefined)
        throw new ToolError('mode "state" needs at: a stream version (1, 2, ...) or an ISO time.');
      const state = await readRunDetails(ctx.store, args.run_id, pointOf(args.at));
      const current = state.current_index === undefined ? null : state.steps[state.current_index];
      const done = state.steps.filter((s) => s.status !== "pending").map((s) => `${s.step_id}: ${s.status}`);
      return result(
        `At ${JSON.stringify(args.at)} (version ${state.version}) the run was ${state.status}${current ? `, running step ${current.step_id}` : ""}; ${done.length} steps done${done.length ? `:\n${done.join("\n")}` : ""}.`,
        {
          run_id: args.run_id,
          version: state.version,
          status: state.status,
          current_step: current ?? null,
          steps: state.steps.map((s) => ({ index: s.index, step_id: s.step_id, status: s.status })),
          snapshot: state.snapshots.at(-1) ?? null,
        },
      );
    }
    if (args.mode === "refold") {
      await ctx.runner.catchUp();
      const out = await refoldRun(ctx.store, ctx.store.db, args.run_id);
      return result(
        out.equal
          ? `Re-folding ${out.events} events gives exactly the stored read model.`
          : `The read model differs from the re-folded events at ${out.differences.length} places${out.lagging ? " (it lags behind the log)" : ""}.`,
        { mode: "refold", ...out },
      );
    }
    const started = await startReexecution(ctx.engine, args.run_id, { secrets: args.secrets });
    const { replay, steps } = await started.done;
    const same = steps.every((s) => s.same);
    return result(
      `Re-executed as run ${started.replayId}: ${replay.status}; ${same ? "every step behaved as recorded" : `${steps.filter((s) => !s.same).length} steps differ`}.`,
      {
        mode: "reexecute",
        original_run_id: args.run_id,
        replay_run_id: started.replayId,
        status: replay.status,
        same,
        pinned_locators: started.pinned,
        steps,
      },
    );
  },
});
