import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { fingerprintOf } from "../domain/healing/fingerprint.js";
import {
  actsOnHeal,
  type HealingThresholds,
  healingDecision,
  rankCandidates,
} from "../domain/healing/score.js";
import { INTERACTIVE_ROLES } from "../domain/locate/match.js";
import type { LearnedLocator, Role } from "../domain/locators/locators.js";
import type { TargetSpec } from "../domain/plan/model.js";
import type { ObservedData } from "../domain/run/commands.js";
import type { Located } from "../domain/run/events.js";
import type { BlobStore } from "../ports/blobs.js";
import type { AccessibilityNode, BrowserSession, Target } from "../ports/browser.js";
import { UnknownRefError } from "../ports/browser.js";
import { describedMatches, rowNamed } from "./locate-describe.js";
import { chooseHeal } from "./locate-heal.js";
import { explicitLocator, explicitTarget, foundNode, toLocator } from "./locate-nodes.js";

/** The vision adapter's part in locating: a box for a description on a screenshot (issue: model adapters). */
export interface VisionLocator {
  findElement(
    screenshot: Buffer,
    description: string,
  ): Promise<{ box: { x: number; y: number; width: number; height: number }; confidence: number } | null>;
}

export interface LocateRequest {
  session: BrowserSession;
  spec: TargetSpec;
  role: Role;
  index: number;
  stepId: string;
  /** Clicks and typing prefer interactive elements. */
  interactive: boolean;
  learned?: LearnedLocator;
  isRejected: (signature: string) => boolean;
  thresholds: HealingThresholds;
  timeoutMs: number;
  /** Do not heal before this much time has passed: the element usually appears by then (learned waits). */
  healAfterMs?: number;
  /** The page must have been free of DOM mutations this long before healing or matching by description. */
  settleMs?: number;
  minMatchScore?: number;
  blobs?: BlobStore;
  vision?: VisionLocator;
}

export interface PendingHeal {
  healingId: string;
  attempted: ObservedData<"HealingAttempted">;
  healed: ObservedData<"LocatorHealed">;
}

export interface LocateResult {
  /** Where to act; absent when the element was not found (or a heal was not trusted enough to act on). */
  target?: Target;
  located?: Located;
  heal?: PendingHeal;
  error?: string;
  /** False when trying again cannot help: the page has settled and the verdict would be the same. */
  retriable?: boolean;
  waitedMs: number;
}

/**
 * Finds a step's element, in the order the design gives: an explicit CSS/XPath selector; the locator learned
 * for this step in earlier runs; the accessibility snapshot (by description); the vision adapter. When an
 * explicit or learned locator no longer matches once the page has settled, candidates are scored against the
 * element's recorded fingerprint (or, without one, by description) and the decision band says whether to act.
 */
// How long the DOM must have been still before "nothing matches" is final.
const FAIL_FAST_QUIET_MS = 400;
const quietFor = (state: { now: number; lastMutation: number }) => state.now - state.lastMutation;
const describeSpec = (spec: TargetSpec) =>
  [spec.role, spec.description && JSON.stringify(spec.description)].filter(Boolean).join(" ");

/** The first few candidates as an agent can use them: role, name and ref. */
function closest(ranked: AccessibilityNode[], pool: AccessibilityNode[]): string {
  const shown = (ranked.length > 0 ? ranked : pool.filter((n) => INTERACTIVE_ROLES.has(n.role))).slice(0, 5);
  if (shown.length === 0) return "no candidates";
  return shown.map((n) => `${n.role} "${n.name.slice(0, 40)}" [${n.ref}]`).join(", ");
}

export async function locate(request: LocateRequest): Promise<LocateResult> {
  const { session, spec } = request;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const settleMs = request.settleMs ?? 250;
  const minScore = request.minMatchScore ?? 0.6;
  const explicit = explicitTarget(spec);
  const learnedTarget: Target | undefined = request.learned ? { path: request.learned.locator } : undefined;
  let lastProblem = "not found yet";
  let revealed = false;

  outer: for (;;) {
    // 1. The explicit selector, then 2. the learned locator: exact hits need neither a snapshot nor a settled
    // page. The page describes the element, neighbours included, by the snapshot's own rules.
    for (const [strategy, target] of [
      ["explicit", explicit],
      ["learned", learnedTarget],
    ] as const) {
      if (!target) continue;
      let description: Awaited<ReturnType<BrowserSession["describe"]>>;
      try {
        description = await session.describe(target);
      } catch (error) {
        if (!(error instanceof UnknownRefError)) throw error;
        return {
          error: `${error.message}; take a new snapshot and use one of its refs`,
          retriable: false,
          waitedMs: elapsed(),
        };
      }
      if (!description) continue;
      // Found but not shown, in a row that shows it under the pointer: point at the row, then look again.
      const hidden = description.box.width === 0 && description.box.height === 0;
      const row =
        hidden && spec.within && !revealed
          ? rowNamed((await session.accessibilitySnapshot()).nodes, spec.within)
          : undefined;
      if (row) {
        revealed = true;
        await session.hover({ path: row.path });
        continue outer;
      }
      const fingerprint = fingerprintOf(description, description.neighbours, description.surroundings);
      let confidence = 1;
      if (strategy === "learned" && request.learned) {
        // A learned selector that now points at something quite different is not the element we knew.
        confidence = rankCandidates(request.learned.fingerprint, [{ candidate: 0, fingerprint }]).confidence;
        if (confidence < request.thresholds.manualReview) continue;
      }
      if (strategy === "explicit" && description.matches > 1) {
        const selector = spec.css ?? spec.xpath;
        return {
          error: `${selector} matches ${description.matches} elements; make the selector unique`,
          retriable: false,
          waitedMs: elapsed(),
        };
      }
      return {
        target: { path: description.path },
        located: {
          role: request.role,
          strategy,
          locator: toLocator(description.path),
          confidence,
          fingerprint,
        },
        waitedMs: elapsed(),
      };
    }

    const nodes = (await session.accessibilitySnapshot()).nodes;
    const state = await session.pageState();
    const settled = state.now - state.lastMutation >= settleMs && elapsed() >= (request.healAfterMs ?? 0);
    const broken = explicit ?? learnedTarget;

    // 3. Healing: a selector we had stopped matching. Score the page's elements against what we knew.
    if (broken && settled) {
      const recorded = request.learned?.fingerprint;
      const best = chooseHeal(
        nodes,
        spec,
        recorded,
        request.isRejected,
        Math.hypot(state.viewport.width, state.viewport.height),
      );
      if (best) {
        const decision = best.veto ? "reject" : healingDecision(best.confidence, request.thresholds);
        const healingId = randomUUID();
        const oldLocator = request.learned?.locator ?? explicitLocator(spec);
        const screenshotBefore = request.blobs
          ? (await request.blobs.put(await session.screenshot())).hash
          : undefined;
        const heal: PendingHeal = {
          healingId,
          attempted: {
            healing_id: healingId,
            index: request.index,
            step_id: request.stepId,
            role: request.role,
            original_locator: oldLocator,
            reason: `${explicit ? "the explicit selector" : "the learned locator"} no longer matches any element`,
            candidates: best.candidates,
          },
          healed: {
            healing_id: healingId,
            index: request.index,
            step_id: request.stepId,
            role: request.role,
            old_locator: oldLocator,
            new_locator: toLocator(best.node.path),
            method: best.method,
            confidence: Math.round(best.confidence * 1000) / 1000,
            decision,
            old_fingerprint: recorded,
            new_fingerprint: best.fingerprint,
            screenshot_before: screenshotBefore,
          },
        };
        if (!actsOnHeal(decision)) {
          return {
            heal,
            error: best.veto
              ? `the element's locator no longer matches; the best candidate, ${best.node.role} "${best.node.name}", is refused: ${best.veto}`
              : `the element's locator no longer matches; the best candidate, ${best.node.role} "${best.node.name}", is right with probability ${heal.healed.confidence} (${decision.replace("_", " ")}), too low to act on`,
            retriable: false,
            waitedMs: elapsed(),
          };
        }
        return {
          target: { path: best.node.path },
          located: {
            role: request.role,
            strategy: "accessibility",
            locator: toLocator(best.node.path),
            confidence: heal.healed.confidence,
            fingerprint: best.fingerprint,
          },
          heal,
          waitedMs: elapsed(),
        };
      }
      lastProblem = "no candidate on the page resembles the element";
    }

    // 4. No selector at all: find it by description in the accessibility snapshot. A role, when given, is
    // a hard filter (up to equivalents: a link for a button).
    if (!broken && (spec.description || spec.role || spec.within)) {
      const { matches, pool } = describedMatches(nodes, spec, request.interactive, minScore);
      // Controls a row shows only under the pointer (TodoMVC's delete): point at the row, as a person would.
      const row = spec.within && matches.length === 0 && !revealed ? rowNamed(nodes, spec.within) : undefined;
      if (row) {
        revealed = true;
        await session.hover({ path: row.path });
        continue;
      }
      const top = matches[0];
      if (top && top.score >= minScore) {
        return {
          ...foundNode(nodes, top.node, request.role, "accessibility", top.score),
          waitedMs: elapsed(),
        };
      }
      lastProblem = top
        ? `the closest element, ${top.node.role} "${top.node.name}", matched only ${top.score.toFixed(2)}`
        : "nothing on the page matches";

      // 5. The vision adapter, when one is configured and the page has settled.
      if (request.vision && settled && spec.description) {
        const found = await request.vision.findElement(await session.screenshot(), spec.description);
        if (found && found.confidence >= minScore) {
          const cx = found.box.x + found.box.width / 2;
          const cy = found.box.y + found.box.height / 2;
          const hit = nodes
            .filter(
              (n) =>
                n.box.x <= cx && cx <= n.box.x + n.box.width && n.box.y <= cy && cy <= n.box.y + n.box.height,
            )
            .sort((a, b) => a.box.width * a.box.height - b.box.width * b.box.height)[0];
          if (hit)
            return {
              ...foundNode(nodes, hit, request.role, "vision", found.confidence),
              waitedMs: elapsed(),
            };
        }
      }
      // A page quiet for a while that shows nothing plausible will not change its mind: say so now, with
      // what it does show, rather than after the whole timeout.
      if (quietFor(state) >= FAIL_FAST_QUIET_MS && state.readyState === "complete") {
        return {
          error: `nothing on the page matches ${describeSpec(spec)}: ${lastProblem}; closest: ${closest(
            matches.map((m) => m.node),
            pool,
          )}`,
          retriable: false,
          waitedMs: elapsed(),
        };
      }
    }

    if (elapsed() >= request.timeoutMs) {
      const what = spec.description ?? spec.css ?? spec.xpath ?? spec.role;
      return {
        error: `could not find ${JSON.stringify(what)} within ${request.timeoutMs} ms: ${lastProblem}`,
        waitedMs: elapsed(),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
