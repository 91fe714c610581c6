import type { EventStore } from "../domain/events/store.js";
import { explainHeal } from "../domain/healing/explain.js";
import { type FeatureName, roleClass } from "../domain/healing/features.js";
import type { Fingerprint } from "../domain/healing/fingerprint.js";
import {
  evolveLocators,
  initialPlanLocators,
  type LocatorEvent,
  locatorKey,
  locatorStreamId,
  type Role,
} from "../domain/locators/locators.js";
import { runStreamId } from "../domain/run/events.js";
import type { Shot } from "../web/ui/model.js";
import { confidenceLabel, decisionWords, evidenceWords, HEAL_FEATURES } from "../web/ui/words.js";
import { foldRecordedDetails, type RunDetails as RunState } from "./run-report/details.js";
import { type ArtifactReader, pngShot, snapshotViewport } from "./run-timeline.js";
import { stepEvidence } from "./step-evidence.js";

const artifactUrl = (runId: string) => (hash: string) => `/api/runs/${runId}/artifacts/${hash}`;

const box = (fp: Fingerprint) =>
  `(${Math.round(fp.box.x)}, ${Math.round(fp.box.y)}) ${Math.round(fp.box.width)}×${Math.round(fp.box.height)}`;

/** What the model compared for a feature, on one side, for people. */
function featureValue(fp: Fingerprint, feature: FeatureName, description: string | undefined): string {
  switch (feature) {
    case "name":
    case "name_exact":
      return fp.name || "–";
    case "text":
    case "tag":
    case "role":
      return fp[feature] || "–";
    case "role_class":
      return fp.role ? `${fp.role} (${roleClass(fp.role)})` : "–";
    case "id":
    case "id_exact":
      return fp.id ?? "–";
    case "href":
      return fp.attributes.href ?? fp.attributes.src ?? "–";
    case "attributes":
      return (
        Object.entries(fp.attributes)
          .map(([k, v]) => `${k}="${v}"`)
          .join(" ") || "–"
      );
    case "classes":
      return fp.classes.join(" ") || "–";
    case "path":
      return fp.domPath;
    case "neighbours":
      return fp.neighbours.join(" · ") || "–";
    case "context":
      return fp.context ?? "–";
    case "heading":
      return fp.heading ?? "–";
    case "description":
      return description ?? "–";
    case "description_in_context":
      return description ?? "–";
    default:
      return box(fp);
  }
}

/** The found element's side of the description features: its own words, or its row's. */
function foundValue(found: Fingerprint, feature: FeatureName): string {
  if (feature === "description") return found.name || found.text || "–";
  if (feature === "description_in_context") return found.context ?? "–";
  return featureValue(found, feature, undefined);
}

/**
 * The evidence a heal was decided on, as the learned model weighed it: each feature that said something,
 * how far the two elements agreed on it, and how much that moved the model towards (or away from) the
 * element found. The step's description is evidence too, compared with the element's words and its row's.
 */
export function healEvidence(
  recorded: Fingerprint,
  found: Fingerprint,
  description: string | undefined,
  confidence: number,
) {
  const explained = explainHeal({ fingerprint: recorded, ...(description ? { description } : {}) }, found);
  return {
    model: "learned" as const,
    confidence,
    utility: explained.utility,
    removed_utility: explained.removedUtility,
    parts: explained.parts.map((p) => ({
      feature: p.feature,
      label: HEAL_FEATURES[p.feature] ?? p.feature,
      weight: p.weight,
      evidence: p.evidence,
      contribution: p.contribution,
      says: evidenceWords(p.evidence, p.contribution),
      recorded: featureValue(recorded, p.feature, description),
      found: foundValue(found, p.feature),
    })),
  };
}

async function shotOf(runId: string, hash: string | null, snapshot: string | null, artifact: ArtifactReader) {
  const shot = await pngShot(hash, artifact, artifactUrl(runId));
  const viewport = await snapshotViewport(snapshot, artifact);
  return shot && viewport ? ({ ...shot, ...viewport } satisfies Shot) : shot;
}

/**
 * A heal as a reviewer needs it: the element as it was learned (in the run that learned it, on the page it
 * acted on, outlined) and the element found now (on the page when healing, outlined), the page after, the
 * evidence that scored it, and the locator the plan uses for that step now.
 */
export class HealReviews {
  private readonly runs = new Map<string, Promise<RunState>>();
  private readonly locatorEvents = new Map<string, Promise<{ type: string; data: unknown; at: Date }[]>>();

  constructor(
    private readonly store: EventStore,
    private readonly artifact: ArtifactReader,
  ) {}

  private run(runId: string) {
    let state = this.runs.get(runId);
    if (!state) {
      state = this.store.readStream(runStreamId(runId)).then((events) => foldRecordedDetails(events));
      this.runs.set(runId, state);
    }
    return state;
  }

  private locators(planId: string) {
    let events = this.locatorEvents.get(planId);
    if (!events) {
      events = this.store
        .readStream(locatorStreamId(planId))
        .then((list) => list.map((e) => ({ type: e.type, data: e.data, at: e.recordedAt })));
      this.locatorEvents.set(planId, events);
    }
    return events;
  }

  async details(runId: string, healingId: string) {
    const state = await this.run(runId);
    const heal = state.healings[healingId];
    if (!heal) return null;
    const step = state.steps.find((s) => s.index === heal.index);
    const planId = state.plan?.plan_id;
    const events = planId ? await this.locators(planId) : [];
    const key = locatorKey(heal.step_id, heal.role);
    // Where the element was learned: the last locator learned for this step before the heal was made.
    const origin = events
      .filter((e) => e.type === "LocatorLearned" && e.at.toISOString() <= heal.at)
      .map((e) => e.data as { step_id: string; role: Role; run_id: string })
      .filter((d) => locatorKey(d.step_id, d.role) === key && d.run_id !== runId)
      .at(-1);
    let was = null;
    if (origin && heal.old_fingerprint) {
      const learnedIn = await this.run(origin.run_id);
      const learnedStep = learnedIn.steps.find((s) => s.step_id === heal.step_id);
      const evidence = learnedStep ? stepEvidence(learnedIn, learnedStep) : undefined;
      was = {
        run_id: origin.run_id,
        application_version: learnedIn.application_version ?? null,
        shot: evidence
          ? await shotOf(origin.run_id, evidence.screenshot_before, evidence.snapshot_before, this.artifact)
          : null,
        box: heal.old_fingerprint.box,
        element: {
          role: heal.old_fingerprint.role,
          name: heal.old_fingerprint.name,
          tag: heal.old_fingerprint.tag,
        },
      };
    }
    const learned = events
      .filter((e) => e.type === "LocatorLearned" || e.type === "LocatorRejected")
      .reduce((s, e) => evolveLocators(s, e as LocatorEvent), initialPlanLocators());
    const now = learned.learned[key];
    return {
      healing_id: heal.healing_id,
      run_id: runId,
      plan_id: planId ?? null,
      plan_name: state.plan?.name ?? null,
      application_version: state.application_version ?? null,
      step_id: heal.step_id,
      step_index: heal.index,
      step_description: step?.description ?? heal.step_id,
      role: heal.role,
      method: heal.method,
      decision: heal.decision,
      decision_words: decisionWords(heal.decision),
      confidence: heal.confidence,
      confidence_words: confidenceLabel(heal.confidence),
      successful: heal.successful ?? null,
      review: heal.review ?? null,
      healed_at: heal.at,
      old_locator: heal.old_locator?.selector ?? null,
      new_locator: heal.new_locator.selector,
      was,
      now: {
        shot: await shotOf(runId, heal.screenshot_before ?? null, null, this.artifact),
        box: heal.new_fingerprint.box,
        element: {
          role: heal.new_fingerprint.role,
          name: heal.new_fingerprint.name,
          tag: heal.new_fingerprint.tag,
        },
      },
      after: await shotOf(runId, heal.screenshot_after ?? null, null, this.artifact),
      evidence: heal.old_fingerprint
        ? healEvidence(heal.old_fingerprint, heal.new_fingerprint, step?.description, heal.confidence)
        : null,
      learned_now: now ? { locator: now.locator.selector, source: now.source, run_id: now.run_id } : null,
      rejected_candidates: learned.rejected[key]?.length ?? 0,
    };
  }
}

export type HealReview = NonNullable<Awaited<ReturnType<HealReviews["details"]>>>;
