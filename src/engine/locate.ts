import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  type ElementLocator,
  type Fingerprint,
  fingerprintOf,
  signatureOf,
} from "../domain/healing/fingerprint.js";
import {
  actsOnHeal,
  type HealingThresholds,
  healingDecision,
  rankCandidates,
} from "../domain/healing/score.js";
import { matchNodes } from "../domain/locate/match.js";
import type { LearnedLocator, Role } from "../domain/locators/locators.js";
import type { TargetSpec } from "../domain/plan/model.js";
import type { ObservedData } from "../domain/run/commands.js";
import type { Located } from "../domain/run/events.js";
import type { BlobStore } from "../ports/blobs.js";
import type { AccessibilityNode, BrowserSession, Target } from "../ports/browser.js";

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

const toLocator = (path: {
  frames: string[];
  hosts: string[];
  selector: string;
  xpath?: string;
}): ElementLocator => ({
  frames: path.frames,
  hosts: path.hosts,
  selector: path.selector,
  ...(path.xpath ? { xpath: path.xpath } : {}),
});

/**
 * Names of the nearest nodes before and after, skipping the node's own ancestors and descendants: a
 * container's name often repeats the element's own text and says nothing about its surroundings.
 */
function neighboursOf(nodes: AccessibilityNode[], i: number): string[] {
  const byRef = new Map(nodes.map((n) => [n.ref, n]));
  const ancestors = new Set<string>();
  for (let p = nodes[i]!.parentRef; p; p = byRef.get(p)?.parentRef) ancestors.add(p);
  const isDescendant = (n: AccessibilityNode) => {
    for (let p = n.parentRef; p; p = byRef.get(p)?.parentRef) if (p === nodes[i]!.ref) return true;
    return false;
  };
  const unrelated = (n: AccessibilityNode | undefined) =>
    n && !ancestors.has(n.ref) && !isDescendant(n) && n.name;
  let before: AccessibilityNode | undefined;
  for (let j = i - 1; j >= 0 && !before; j--) if (unrelated(nodes[j])) before = nodes[j];
  let after: AccessibilityNode | undefined;
  for (let j = i + 1; j < nodes.length && !after; j++) if (unrelated(nodes[j])) after = nodes[j];
  return [before?.name ?? "", after?.name ?? ""].map((s) => s.slice(0, 80));
}

/** A result for an element of the snapshot, found by description or by the vision adapter. */
function foundNode(
  nodes: AccessibilityNode[],
  node: AccessibilityNode,
  role: Role,
  strategy: "accessibility" | "vision",
  confidence: number,
  waitedMs: number,
): LocateResult {
  return {
    target: { path: node.path },
    located: {
      role,
      strategy,
      locator: toLocator(node.path),
      confidence: Math.round(confidence * 1000) / 1000,
      fingerprint: fingerprintOf(node, neighboursOf(nodes, nodes.indexOf(node))),
    },
    waitedMs,
  };
}

function explicitTarget(spec: TargetSpec): Target | undefined {
  if (spec.css) return { css: spec.css, ...(spec.frame ? { frame: spec.frame } : {}) };
  if (spec.xpath) return { xpath: spec.xpath, ...(spec.frame ? { frame: spec.frame } : {}) };
  return undefined;
}

function explicitLocator(spec: TargetSpec): ElementLocator | undefined {
  if (spec.css) return { frames: spec.frame ? [spec.frame] : [], hosts: [], selector: spec.css };
  if (spec.xpath)
    return { frames: spec.frame ? [spec.frame] : [], hosts: [], selector: "", xpath: spec.xpath };
  return undefined;
}

/**
 * Finds a step's element, in the order the design gives: an explicit CSS/XPath selector; the locator learned
 * for this step in earlier runs; the accessibility snapshot (by description); the vision adapter. When an
 * explicit or learned locator no longer matches once the page has settled, candidates are scored against the
 * element's recorded fingerprint (or, without one, by description) and the decision band says whether to act.
 */
export async function locate(request: LocateRequest): Promise<LocateResult> {
  const { session, spec } = request;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const settleMs = request.settleMs ?? 250;
  const minScore = request.minMatchScore ?? 0.6;
  const explicit = explicitTarget(spec);
  const learnedTarget: Target | undefined = request.learned ? { path: request.learned.locator } : undefined;
  let lastProblem = "not found yet";

  for (;;) {
    // 1. The explicit selector, then 2. the learned locator: exact hits need neither a snapshot nor a settled
    // page. The page describes the element, neighbours included, by the snapshot's own rules.
    for (const [strategy, target] of [
      ["explicit", explicit],
      ["learned", learnedTarget],
    ] as const) {
      if (!target) continue;
      const description = await session.describe(target);
      if (!description) continue;
      const fingerprint = fingerprintOf(description, description.neighbours);
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
      const candidates = nodes
        .map((node, i) => ({ candidate: node, fingerprint: fingerprintOf(node, neighboursOf(nodes, i)) }))
        .filter((c) => !request.isRejected(signatureOf(c.fingerprint)));
      let best: { node: AccessibilityNode; confidence: number; fingerprint: Fingerprint } | undefined;
      let method: "dom_fingerprint" | "semantic_search" = "dom_fingerprint";
      if (recorded && candidates.length > 0) {
        const { ranked, confidence } = rankCandidates(
          recorded,
          candidates,
          Math.hypot(state.viewport.width, state.viewport.height),
        );
        const top = ranked[0]!;
        best = {
          node: top.candidate,
          confidence,
          fingerprint: candidates.find((c) => c.candidate === top.candidate)!.fingerprint,
        };
      } else if (spec.description || spec.role) {
        method = "semantic_search";
        const matches = matchNodes(
          candidates.map((c) => c.candidate),
          spec.description ?? "",
          { role: spec.role, interactive: request.interactive },
        );
        const top = matches[0];
        if (top) {
          const margin = top.score - (matches[1]?.score ?? 0);
          const confidence = Math.max(0, top.score - (margin < 0.05 ? (0.05 - margin) * 2 : 0));
          best = {
            node: top.node,
            confidence,
            fingerprint: candidates.find((c) => c.candidate === top.node)!.fingerprint,
          };
        }
      }
      if (best) {
        const decision = healingDecision(best.confidence, request.thresholds);
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
            candidates: candidates.length,
          },
          healed: {
            healing_id: healingId,
            index: request.index,
            step_id: request.stepId,
            role: request.role,
            old_locator: oldLocator,
            new_locator: toLocator(best.node.path),
            method,
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
            error: `the element's locator no longer matches; the best candidate, ${best.node.role} "${best.node.name}", scored ${heal.healed.confidence} (${decision.replace("_", " ")}), too low to act on`,
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

    // 4. No selector at all: find it by description in the accessibility snapshot.
    if (!broken && (spec.description || spec.role)) {
      const matches = matchNodes(nodes, spec.description ?? "", {
        role: spec.role,
        interactive: request.interactive,
      });
      const top = matches[0];
      if (top && top.score >= minScore) {
        return foundNode(nodes, top.node, request.role, "accessibility", top.score, elapsed());
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
          if (hit) return foundNode(nodes, hit, request.role, "vision", found.confidence, elapsed());
        }
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
