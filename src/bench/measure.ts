import { performance } from "node:perf_hooks";

/** Runs `work` once and returns how many units it did per second. */
export async function rate(units: number, work: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  return Math.round(units / seconds);
}

export const ratio = (ours: number, peer: number | undefined) =>
  peer ? Math.round((ours / peer) * 100) / 100 : null;
