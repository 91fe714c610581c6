import type { RunCommands } from "../commands/run-commands.js";
import { signatureOf } from "../domain/healing/fingerprint.js";
import type { LocatorCommand } from "../domain/locators/locators.js";
import type { RunDetails } from "../projections/run-report/details.js";
import type { Learned } from "./live-run.js";

type Entry = Extract<LocatorCommand, { type: "Learn" }>["entries"][number];

/**
 * After a run: what it located, and heals that held with a decision to commit them, become the plan's
 * learned locators. A proposed heal waits for a person.
 */
export async function commitLearned(commands: RunCommands, run: RunDetails, learned: Learned[]) {
  const entries = learned.flatMap((entry): Entry[] => {
    const base = { step_id: entry.stepId, ...entry.located };
    if (!entry.healingId) return [{ ...base, source: "located" }];
    const heal = run.healings[entry.healingId];
    if (heal?.decision !== "auto_commit" || heal.successful !== true) return [];
    return [{ ...base, source: "healed", healing_id: entry.healingId }];
  });
  const learn = entries.map(({ step_id, role, locator, fingerprint, source, healing_id }) => ({
    step_id,
    role,
    locator,
    fingerprint,
    source,
    ...(healing_id ? { healing_id } : {}),
  }));
  if (learn.length > 0 && run.plan && run.run_id)
    await commands.learn(run.plan.plan_id, { type: "Learn", run_id: run.run_id, entries: learn });
}

/**
 * A person's verdict on a heal, for the plan: approval makes the healed locator the learned one; rejection
 * makes sure the same element is never proposed again for that step.
 */
export async function learnFromReview(
  commands: RunCommands,
  run: RunDetails,
  healingId: string,
  verdict: { approved: boolean; reviewer: string },
) {
  const heal = run.healings[healingId]!;
  const planId = run.plan!.plan_id;
  const runId = run.run_id!;
  if (verdict.approved) {
    const entry = {
      step_id: heal.step_id,
      role: heal.role,
      locator: heal.new_locator,
      fingerprint: heal.new_fingerprint,
      source: "approved" as const,
      healing_id: healingId,
    };
    await commands.learn(planId, { type: "Learn", run_id: runId, entries: [entry] }, verdict.reviewer);
    return;
  }
  await commands.learn(
    planId,
    {
      type: "Reject",
      run_id: runId,
      step_id: heal.step_id,
      role: heal.role,
      signature: signatureOf(heal.new_fingerprint),
      healing_id: healingId,
    },
    verdict.reviewer,
  );
}
