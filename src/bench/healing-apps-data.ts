import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Fingerprint } from "../domain/healing/fingerprint.js";
import type { AccessibilityNode } from "../ports/browser.js";
import type { AppPair } from "./healing-apps-corpus.js";
import { JSONEDITOR } from "./healing-apps-jsoneditor.js";
import { SWAGGER_UI } from "./healing-apps-swagger.js";
import { TIDDLYWIKI } from "./healing-apps-tiddlywiki.js";

/** The pairs of the real-upgrade corpus, in the order the bench prints them. */
export const APP_PAIRS: AppPair[] = [JSONEDITOR, TIDDLYWIKI, SWAGGER_UI];

/** A snapshot node as committed: what fingerprints are made of, without the session-bound path and states. */
export type StoredNode = Pick<
  AccessibilityNode,
  "ref" | "role" | "name" | "tag" | "text" | "attributes" | "box" | "domPath" | "depth"
> & { parentRef?: string };

export interface CapturedPair {
  app: string;
  from: string;
  to: string;
  viewport: { width: number; height: number };
  /** The new release's snapshot of each view: the candidates a heal chooses from. */
  views: Record<string, StoredNode[]>;
  targets: {
    description: string;
    role?: string;
    view: string;
    /** The fingerprint the engine recorded for the element on the old release. */
    recorded: Fingerprint;
    /** Index into the view's nodes of what the element became; null when it was removed. */
    truth: number | null;
  }[];
}

export function compactNode(n: AccessibilityNode): StoredNode {
  return {
    ref: n.ref,
    role: n.role,
    name: n.name,
    tag: n.tag,
    text: n.text,
    attributes: n.attributes,
    box: n.box,
    domPath: n.domPath,
    depth: n.depth,
    ...(n.parentRef ? { parentRef: n.parentRef } : {}),
  };
}

/** A stored node as the engine's healing code takes it (it reads no path or state). */
export const expandNode = (n: StoredNode): AccessibilityNode => ({
  ...n,
  value: undefined,
  states: {},
  inViewport: true,
  path: { frames: [], hosts: [], selector: "" },
});

/** Where a pair's capture is committed: the same place from src/bench and dist/bench. */
export function corpusFile(pair: { app: string; from: string; to: string }): string {
  const name = `healing-${pair.app}-${pair.from}-${pair.to}.json`;
  return fileURLToPath(new URL(`../../src/bench/data/${name}`, import.meta.url));
}

export function loadCapturedPair(pair: AppPair): CapturedPair {
  const file = corpusFile(pair);
  if (!existsSync(file)) {
    throw new Error(`the ${pair.app} capture is not at ${file}; run src/bench/healing-apps-capture.ts`);
  }
  const data = JSON.parse(readFileSync(file, "utf8")) as CapturedPair;
  if (data.targets.length !== pair.targets.length) {
    throw new Error(
      `${file} holds ${data.targets.length} targets, the corpus defines ${pair.targets.length}; capture again`,
    );
  }
  return data;
}
