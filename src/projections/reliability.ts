import { pageOf } from "../domain/pages.js";
import { type Outcome, type Reliability, reliability } from "../domain/reliability.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { RunDetails } from "./run-report/details.js";
import { finishedRunDetails } from "./run-report/queries.js";

export type EntityType = "test" | "module" | "adapter";

export interface EntityReliability extends Reliability {
  entity_type: EntityType;
  entity_id: string;
}

interface RunOutcome {
  entity_type: EntityType;
  entity_id: string;
  outcome: Outcome;
}

/**
 * What a finished run says about each entity it touched: its test (plan), its adapter (driver), and each page
 * (module) it ran steps on, where a page's outcome is whether every step that ran on it passed.
 */
function outcomesOf(state: RunDetails): RunOutcome[] {
  const heals = Object.values(state.healings);
  // A heal held when it was acted on and no check contradicted it (proved or not: see HealingVerified).
  const held = (h: (typeof heals)[number]) =>
    h.successful !== false && (h.decision === "auto_commit" || h.decision === "propose");
  const base = {
    planVersion: state.plan?.plan_version ?? "",
    applicationVersion: state.application_version ?? "",
  };
  const run: Outcome = {
    ...base,
    passed: state.status === "passed",
    healsAttempted: heals.length,
    healsSuccessful: heals.filter(held).length,
  };
  const out: RunOutcome[] = [
    { entity_type: "test", entity_id: state.plan?.plan_id ?? "unknown", outcome: run },
    { entity_type: "adapter", entity_id: state.driver ?? "unknown", outcome: run },
  ];
  // Steps belong to the page of the snapshot taken before them (the page they acted on).
  const pages = new Map<string, { passed: boolean; heals: number; held: number }>();
  let page = state.application_url ? pageOf(state.application_url) : "/";
  for (const step of state.steps) {
    if (step.status === "pending" || step.status === "skipped") continue;
    const entry = pages.get(page) ?? { passed: true, heals: 0, held: 0 };
    entry.passed &&= step.status === "passed" || step.status === "healed";
    const stepHeals = heals.filter((h) => h.index === step.index);
    entry.heals += stepHeals.length;
    entry.held += stepHeals.filter(held).length;
    pages.set(page, entry);
    const after = [...state.snapshots].reverse().find((s) => s.index === step.index);
    if (after) page = pageOf(after.url);
  }
  for (const [id, p] of pages)
    out.push({
      entity_type: "module",
      entity_id: id,
      outcome: { ...base, passed: p.passed, healsAttempted: p.heals, healsSuccessful: p.held },
    });
  return out;
}

/** Reliability per test (plan), per adapter (driver) and per module (page), from the runs read model. */
export async function reliabilityScores(
  db: SqlExecutor,
  filter: { planId?: string } = {},
): Promise<EntityReliability[]> {
  const groups = new Map<string, Outcome[]>();
  for (const state of await finishedRunDetails(db, filter.planId)) {
    for (const o of outcomesOf(state)) {
      const key = `${o.entity_type}\u0000${o.entity_id}`;
      groups.set(key, [...(groups.get(key) ?? []), o.outcome]);
    }
  }
  return [...groups].map(([key, history]) => {
    const [entity_type, entity_id] = key.split("\u0000") as [EntityType, string];
    return { entity_type, entity_id, ...reliability(history) };
  });
}

export type Bucket = "run" | "hour" | "day";

const bucketOf = (iso: string, bucket: Bucket, runId: string) =>
  bucket === "run"
    ? `${iso}\u0000${runId}`
    : bucket === "hour"
      ? `${iso.slice(0, 13)}:00:00Z`
      : iso.slice(0, 10);

/**
 * One entity's reliability over time: per bucket (each run, hour or day) its pass rate and flakiness, counted
 * as the scores count them (a flip against the previous run of the same plan and application version, even
 * one in an earlier bucket), the cumulative score at its end, and the runs behind the point.
 */
export async function reliabilityHistory(
  db: SqlExecutor,
  entity: { type: EntityType; id: string },
  bucket: Bucket,
) {
  const points: {
    bucket: string;
    runs: { run_id: string; passed: boolean; completed_at: string; application_version: string | null }[];
    pass_rate: number;
    flips: number;
    comparisons: number;
    flakiness: number;
    score: number;
  }[] = [];
  const history: Outcome[] = [];
  const last = new Map<string, boolean>();
  for (const state of await finishedRunDetails(db)) {
    const mine = outcomesOf(state).find((o) => o.entity_type === entity.type && o.entity_id === entity.id);
    if (!mine || !state.completed_at || !state.run_id) continue;
    const key = bucketOf(state.completed_at, bucket, state.run_id);
    let point = points.at(-1);
    if (!point || point.bucket !== key) {
      point = { bucket: key, runs: [], pass_rate: 0, flips: 0, comparisons: 0, flakiness: 0, score: 0 };
      points.push(point);
    }
    const group = `${mine.outcome.planVersion}\u0000${mine.outcome.applicationVersion}`;
    const previous = last.get(group);
    if (previous !== undefined) {
      point.comparisons++;
      if (previous !== mine.outcome.passed) point.flips++;
    }
    last.set(group, mine.outcome.passed);
    history.push(mine.outcome);
    point.runs.push({
      run_id: state.run_id,
      passed: mine.outcome.passed,
      completed_at: state.completed_at,
      application_version: state.application_version ?? null,
    });
    const round = (x: number) => Math.round(x * 1000) / 1000;
    point.pass_rate = round(point.runs.filter((r) => r.passed).length / point.runs.length);
    point.flakiness = point.comparisons === 0 ? 0 : round(point.flips / point.comparisons);
    point.score = reliability(history).score;
  }
  return points.map((p) => ({ ...p, bucket: p.bucket.split("\u0000")[0]! }));
}
