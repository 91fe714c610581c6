// Runs the demo plan in its own process on a persistent store, printing each finished step, so that a test
// can kill it mid-run with SIGKILL.
import { demoPlan, harness } from "./engine.js";

const [dataDir, url, runId, freeze] = process.argv.slice(2) as [string, string, string, string?];
const freezeAt = freeze === undefined ? -1 : Number(freeze);
const h = await harness(dataDir);
const engine = h.engine();
engine.onProgress((event) => {
  if (event.kind !== "step_finished") return;
  process.stdout.write(`STEP ${event.index} ${event.status}\n`);
  // Freeze the event loop at the step the test waits for, so that nothing more is recorded before its SIGKILL.
  if (event.index === freezeAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
});
await engine.run({ plan: demoPlan(url, "demo-crash"), runId });
process.stdout.write("DONE\n");
await h.close();
