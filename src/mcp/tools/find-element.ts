import { z } from "zod";
import { matchNodes } from "../../domain/locate/match.js";
import { activeSession, defineTool, result, TestId, ToolError } from "../tool.js";

export const findElement = defineTool({
  name: "find_element",
  title: "Find an element",
  description: `Elements of an interactive test's page that fit a description ("Sign in button", "Email field"): score, role, name, and a css selector to use as a step target.`,
  readOnly: true,
  input: {
    test_id: TestId,
    description: z.string().min(1),
    limit: z.number().int().min(1).max(10).default(3),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.test_id);
    const snapshot = await session.accessibilitySnapshot();
    const matches = matchNodes(snapshot.nodes, args.description)
      .filter((m) => m.score >= 0.5)
      .slice(0, args.limit);
    if (matches.length === 0)
      throw new ToolError(
        `Nothing on ${snapshot.url} fits "${args.description}". Call describe_screen to see what the page offers, then describe the element by its visible name.`,
      );
    const found = matches.map((m) => ({
      score: Math.round(m.score * 1000) / 1000,
      role: m.node.role,
      name: m.node.name || m.node.text.slice(0, 80),
      selector: m.node.path.selector,
      frames: m.node.path.frames,
      box: m.node.box,
      in_viewport: m.node.inViewport,
    }));
    return result(
      found.map((f) => `${f.score.toFixed(2)} ${f.role} "${f.name}" css=${f.selector}`).join("\n"),
      { test_id: args.test_id, description: args.description, matches: found },
    );
  },
});
