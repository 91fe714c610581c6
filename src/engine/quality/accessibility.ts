import { createRequire } from "node:module";
import type { BoundingBox, BrowserSession } from "../../ports/browser.js";

// axe-core from the npm package, injected into the page: no CDN.
const AXE_SOURCE: string = createRequire(import.meta.url)("axe-core").source;

/** The rule sets of WCAG 2.1 levels A and AA (the spec's accessibility_standards). */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface AccessibilityViolation {
  rule: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  /** WCAG success criteria, e.g. "1.1.1". */
  wcag: string[];
  help: string;
  help_url: string;
  /** CSS selectors of the offending nodes (at most 20). */
  targets: string[];
  /** Where the first node is in the viewport, for a screenshot crop (not recorded). */
  box?: BoundingBox;
}

const criterion = (tag: string) => {
  const m = /^wcag(\d)(\d)(\d+)$/.exec(tag);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
};

/** Scans the page as it is now with axe-core against WCAG 2.1 A and AA. */
export async function scanAccessibility(session: BrowserSession): Promise<AccessibilityViolation[]> {
  await session.evaluate(
    `(() => { if (!window.axe) { (0, eval)(${JSON.stringify(AXE_SOURCE)}); } return true; })()`,
  );
  const raw = await session.evaluate<
    {
      id: string;
      impact: string | null;
      tags: string[];
      help: string;
      helpUrl: string;
      targets: string[];
      box: BoundingBox | null;
    }[]
  >(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ["violations"] })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, tags: v.tags, help: v.help, helpUrl: v.helpUrl,
        targets: v.nodes.slice(0, 20).map((n) => n.target.map(String).join(" ")),
        box: (() => { try { const r = document.querySelector(v.nodes[0].target[0]).getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height }; } catch { return null; } })() })))`,
  );
  return raw
    .map((v) => ({
      rule: v.id,
      impact: (v.impact ?? null) as AccessibilityViolation["impact"],
      wcag: v.tags.map(criterion).filter((c): c is string => c !== undefined),
      help: v.help,
      help_url: v.helpUrl,
      targets: v.targets,
      ...(v.box ? { box: v.box } : {}),
    }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
}
