import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { matchNodes } from "../../src/domain/locate/match.js";
import type { BoundingBox, Screen, ScreenNode } from "../../src/domain/vision/model.js";
import { captureScreen } from "../../src/engine/screen.js";
import { chromiumOptions } from "../support/browsers.js";
import { startFixtureServer } from "../support/fixture-server.js";
import type { Reply, Script } from "../support/model-servers.js";

/** The login fixture as a real Chromium renders it, and the same page with its button relabelled. */
export async function captureLoginScreens(): Promise<{ login: Screen; changed: Screen }> {
  const server = await startFixtureServer();
  const driver = new PlaywrightDriver(chromiumOptions);
  try {
    await driver.launch();
    const session = await driver.newSession({ viewport: { width: 800, height: 600 } });
    await session.navigate(server.url("/vision/login.html"));
    const login = await captureScreen(session);
    await session.evaluate("document.querySelector('button').textContent = 'Log in now'");
    const changed = await captureScreen(session);
    await session.close();
    return { login, changed };
  } finally {
    await driver.close();
    await server.close();
  }
}

const json = (value: unknown): Reply => ({ content: JSON.stringify(value) });
const labelOf = (n: ScreenNode) => n.name || n.text;

/**
 * A scripted vision model that "sees" what the accessibility snapshot of the screen says is there: answers
 * in each operation's schema, so the adapters' protocol handling is what the contract tests exercise.
 */
export function seeingScript(truth: Screen): Script {
  const nodes = truth.nodes ?? [];
  const element = (n: ScreenNode, confidence: number) => ({
    box: n.box,
    confidence,
    element_type:
      n.role === "button" ? "button" : n.role === "link" ? "link" : n.role === "textbox" ? "input" : "text",
    label: labelOf(n),
  });
  return ({ operation, prompt }) => {
    switch (operation) {
      case "describe_screen":
        return json({
          description: `A sign-in page showing ${nodes
            .filter((n) => ["heading", "button", "link", "textbox"].includes(n.role))
            .map(labelOf)
            .join(", ")}.`,
        });
      case "find_element": {
        const wanted = /Find the element: (.*?)\.(?: Context|\s*Set found)/.exec(prompt)?.[1] ?? "";
        const best = matchNodes([...nodes], wanted)[0];
        return json(
          best && best.score >= 0.5
            ? { found: true, element: element(best.node, best.score) }
            : { found: false },
        );
      }
      case "find_multiple_elements": {
        const wanted = /elements that fit: (.*)$/.exec(prompt)?.[1] ?? "";
        const found = matchNodes([...nodes], wanted).filter((m) => m.score >= 0.5);
        return json({ elements: found.reverse().map((m) => element(m.node, Math.min(1, m.score))) });
      }
      case "ocr": {
        // A model sees only the region it is sent, and answers in that image's coordinates.
        const region = /It is the region (\{[^}]+\})/.exec(prompt);
        const r = region ? (JSON.parse(region[1]!) as BoundingBox) : { x: 0, y: 0, width: 1e6, height: 1e6 };
        const within = (b: BoundingBox) =>
          b.x >= r.x && b.y >= r.y && b.x + b.width <= r.x + r.width && b.y + b.height <= r.y + r.height;
        return json({
          lines: nodes
            .filter((n) => ["heading", "button", "link"].includes(n.role) && within(n.box))
            .map((n) => ({
              text: labelOf(n),
              box: { ...n.box, x: n.box.x - r.x, y: n.box.y - r.y },
              confidence: 0.97,
            })),
        });
      }
      case "verify_visual_state": {
        const quoted = [...prompt.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
        const missing = quoted.filter((q) => !nodes.some((n) => labelOf(n).includes(q)));
        return json({
          matches: missing.length === 0,
          confidence: 0.9,
          discrepancies: missing.map((m) => `"${m}" is not shown`),
          explanation: missing.length ? "Something expected is missing." : "All expected text is shown.",
        });
      }
      case "compare_screens":
        return json({ changes: "The sign-in button's label changed." });
      default:
        return { status: 400, content: `unknown operation ${operation}` };
    }
  };
}
