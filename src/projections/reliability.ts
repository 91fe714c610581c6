import type { SqlExecutor } from "../adapters/sql/client.js";
import { pageOf } from "../domain/pages.js";
import { type Outcome, type Reliability, reliability } from "../domain/reliability.js";
import { finishedRunDetails } from "./run-report/queries.js";

export type EntityType = "test" | "module" | "adapter";

export interface EntityReliability extends Reliability {
  entity_type: EntityType;
  entity_id: string;
}

/**
 * Reliability per test (plan), per adapter (driver) and per module (page), from the runs read model.
 * A page's outcome in a run is whether every step that ran on it passed.
 */
export async function reliabilityScores(
  db: SqlExecutor,
  filter: { planId?: string } = {},
): Promise<EntityReliability[]> {
  const runs = await finishedRunDetails(db, filter.planId);
  const groups = new Map<string, Outcome[]>();
  const add = (type: EntityType, id: string, outcome: Outcome) => {
    const key = `${type}\u0000${id}`;
    groups.set(key, [...(groups.get(key) ?? []), outcome]);
  };
  for (const state of runs) {
    const heals = Object.values(state.healings);
    const base = {
      planVersion: state.plan?.plan_version ?? "",
      applicationVersion: state.application_version ?? "",
    };
    const run: Outcome = {
      ...base,
      passed: state.status === "passed",
      healsAttempted: heals.length,
      healsSuccessful: heals.filter((h) => h.successful === true).length,
    };
    add("test", state.plan?.plan_id ?? "unknown", run);
    add("adapter", state.driver ?? "unknown", run);
    // Steps belong to the page of the snapshot taken before them (the page they acted on).
    const pages = new Map<string, { passed: boolean; heals: number; held: number }>();
    let page = state.application_url ? pageOf(state.application_url) : "/";
    for (const step of state.steps) {
      if (step.status === "pending" || step.status === "skipped") continue;
      const entry = pages.get(page) ?? { passed: true, heals: 0, held: 0 };
      entry.passed &&= step.status === "passed" || step.status === "healed";
      const stepHeals = heals.filter((h) => h.index === step.index);
      entry.heals += stepHeals.length;
      entry.held += stepHeals.filter((h) => h.successful === true).length;
      pages.set(page, entry);
      const after = [...state.snapshots].reverse().find((s) => s.index === step.index);
      if (after) page = pageOf(after.url);
    }
    for (const [id, p] of pages)
      add("module", id, { ...base, passed: p.passed, healsAttempted: p.heals, healsSuccessful: p.held });
  }
  return [...groups].map(([key, history]) => {
    const [entity_type, entity_id] = key.split("\u0000") as [EntityType, string];
    return { entity_type, entity_id, ...reliability(history) };
  });
}
