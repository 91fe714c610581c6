import type { Screen } from "../domain/vision/model.js";
import type { BrowserSession } from "../ports/browser.js";

/**
 * The screen as vision adapters take it: the viewport's screenshot with the accessibility nodes whose boxes
 * it shows (boxes are viewport coordinates, the same as the screenshot's pixels).
 */
export async function captureScreen(session: BrowserSession): Promise<Screen> {
  const snapshot = await session.accessibilitySnapshot();
  const png = await session.screenshot();
  return { png, url: snapshot.url, nodes: snapshot.nodes.filter((n) => n.inViewport || n.box.width > 0) };
}
