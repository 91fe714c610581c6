import { z } from "zod";
import { matchNodes } from "../../domain/locate/match.js";
import type { AccessibilitySnapshot } from "../../ports/page.js";
import type { McpContext } from "../context.js";
import { NO_VISION_MODEL, visionModelOf } from "../model-vision.js";
import { activeSession, defineTool, RunId, result, ToolError } from "../tool.js";

interface Found {
  score: number;
  role: string;
  name: string;
  selector: string;
  frames: string[];
  box: { x: number; y: number; width: number; height: number };
  in_viewport: boolean;
}

const foundOf = (node: AccessibilitySnapshot["nodes"][number], score: number): Found => ({
  score: Math.round(score * 1000) / 1000,
  role: node.role,
  name: node.name || node.text.slice(0, 80),
  selector: node.path.selector,
  frames: node.path.frames,
  box: node.box,
  in_viewport: node.inViewport,
});

/**
 * What the page's tree does not name, a vision model may see: it is shown the screenshot and answers a box;
 * the smallest element under the box's centre is the answer (as the engine's own vision fallback does).
 */
async function byVision(
  ctx: McpContext,
  runId: string,
  snapshot: AccessibilitySnapshot,
  description: string,
) {
  const model = await visionModelOf(ctx);
  if (!model) return { by: undefined, found: undefined };
  const png = await activeSession(ctx, runId).screenshot();
  const seen = await model.adapter.findElement({ png }, description).catch((error: Error) => {
    if (error.name === "ElementNotFoundError") return undefined;
    throw new ToolError(`${model.by} could not be asked where "${description}" is: ${error.message}`);
  });
  if (!seen) return { by: model.by, found: undefined };
  const [x, y] = seen.coordinates;
  const hit = snapshot.nodes
    .filter((n) => n.box.x <= x && x <= n.box.x + n.box.width && n.box.y <= y && y <= n.box.y + n.box.height)
    .sort((a, b) => a.box.width * a.box.height - b.box.width * b.box.height)[0];
  ctx.logger?.info(
    { run: runId, description, by: model.by, answer: seen },
    "vision model located an element",
  );
  return { by: model.by, found: hit ? foundOf(hit, seen.confidence) : undefined };
}

export const findElement = defineTool({
  name: "find_element",
  title: "Find an element",
  description:
    "Elements of a run's page that fit a description: score, role, name, css (a step target). When the page's tree has no match, a vision model looks at the screen.",
  readOnly: true,
  input: {
    run_id: RunId,
    description: z.string().min(1),
    limit: z.number().int().min(1).max(10).default(3),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.run_id);
    const snapshot = await session.accessibilitySnapshot();
    let found = matchNodes(snapshot.nodes, args.description)
      .filter((m) => m.score >= 0.5)
      .slice(0, args.limit)
      .map((m) => foundOf(m.node, m.score));
    let by = "accessibility";
    if (found.length === 0) {
      const seen = await byVision(ctx, args.run_id, snapshot, args.description);
      if (!seen.by)
        throw new ToolError(
          `Nothing on ${snapshot.url} fits "${args.description}", and ${NO_VISION_MODEL} to look at the screen. Call describe_screen to see what the page offers, then describe the element by its visible name.`,
        );
      if (!seen.found)
        throw new ToolError(
          `Nothing on ${snapshot.url} fits "${args.description}": neither the page's tree nor ${seen.by} looking at the screen found it. Call describe_screen to see what the page offers.`,
        );
      found = [seen.found];
      by = seen.by;
    }
    return result(
      found.map((f) => `${f.score.toFixed(2)} ${f.role} "${f.name}" css=${f.selector}`).join("\n") +
        (by === "accessibility" ? "" : `\n(found by ${by} on the screenshot)`),
      { run_id: args.run_id, description: args.description, by, matches: found },
    );
  },
});
