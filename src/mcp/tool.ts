import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Role } from "../adapters/sql/api-keys.js";
import { classifyError, type ErrorKind, nextStep } from "../domain/errors.js";
import { stepCounts } from "../domain/run/state.js";
import type { RunDetails } from "../projections/run-report/details.js";
import type { McpContext } from "./context.js";

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * A refusal the model can act on: becomes a tool result with isError, this message and its kind's next step.
 * Its `code` is a kind of the error table (src/domain/errors.ts).
 */
export class ToolError extends Error {
  override readonly name = "ToolError";
  constructor(
    message: string,
    readonly code: ErrorKind = "invalid_input",
  ) {
    super(message);
  }
}

export interface ToolDefinition<Shape extends z.ZodRawShape> {
  name: string;
  title: string;
  /** For a model: what it does, when to use it, what it returns. */
  description: string;
  input: Shape;
  /** Fields shown in tools/list in place of the validated ones (a typed view of a free-form field). */
  listedInput?: z.ZodRawShape;
  /** Fields accepted (and checked) but not shown: the spec's arguments that change nothing here. */
  unlisted?: string[];
  readOnly?: boolean;
  handler: (args: z.infer<z.ZodObject<Shape>>, ctx: McpContext, extra: Extra) => Promise<CallToolResult>;
}

export function defineTool<Shape extends z.ZodRawShape>(tool: ToolDefinition<Shape>) {
  return tool;
}

/** A result: a short text for the model, the data as structuredContent, and any images. */
export function result(
  summary: string,
  structured: Record<string, unknown>,
  more: CallToolResult["content"] = [],
): CallToolResult {
  return { content: [{ type: "text", text: summary }, ...more], structuredContent: structured };
}

export function png(bytes: Buffer): CallToolResult["content"][number] {
  return { type: "image", data: bytes.toString("base64"), mimeType: "image/png" };
}

/** An error as a tool result: its code, what went wrong and what to do next, from the one table. */
export function errorResult(error: unknown, tool: string): CallToolResult {
  const classified = classifyError(error);
  const message =
    classified.kind === "internal" ? `${tool} failed: ${classified.message}` : classified.message;
  return failure(`[${classified.code}] ${message} Next: ${nextStep(classified)}`);
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: "text", text }] });

/**
 * The spec's (Appendix B) argument names, accepted silently for the names the HTTP API and CLI use: not in
 * tools/list, so they cost an agent nothing, and a call written from the spec still works.
 */
const ALIASES: Record<string, string> = { application_url: "url", test_id: "run_id" };

function withAliases(args: unknown): unknown {
  if (!args || typeof args !== "object" || Array.isArray(args)) return args;
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (!(alias in out)) continue;
    if (!(name in out)) out[name] = out[alias];
    delete out[alias];
  }
  return out;
}

/** Registers a tool whose calls wait for the context (the store may still be opening). */
export function registerTool<Shape extends z.ZodRawShape>(
  server: McpServer,
  ready: Promise<McpContext>,
  role: Role | undefined,
  tool: ToolDefinition<Shape>,
) {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: z.preprocess(withAliases, z.object(tool.input)),
      annotations: { title: tool.title, readOnlyHint: tool.readOnly ?? false, openWorldHint: !tool.readOnly },
    },
    (async (args: z.infer<z.ZodObject<Shape>>, extra: Extra) => {
      if (!tool.readOnly && role === "viewer") {
        return errorResult(
          new ToolError(
            `${tool.name} changes things and needs an API key with the runner role; this key is a viewer.`,
            "forbidden",
          ),
          tool.name,
        );
      }
      let ctx: McpContext;
      try {
        ctx = await ready;
      } catch (error) {
        return errorResult(
          new Error(`TestDriver could not open its store, so it cannot run: ${(error as Error).message}`),
          tool.name,
        );
      }
      try {
        return await tool.handler(args, ctx, extra);
      } catch (error) {
        if (classifyError(error).kind === "internal")
          ctx.logger?.error({ err: error, tool: tool.name }, "tool failed");
        return errorResult(error, tool.name);
      }
    }) as never,
  );
}

export const HttpUrl = z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" });

export const RunId = z.string().uuid("run_id must be a run id (a UUID) from start_test or list_tests");

/** The run behind a test id, or a refusal that says how to find one. */
export async function loadTest(ctx: McpContext, runId: string): Promise<RunDetails> {
  const state = await ctx.engine.details(runId);
  if (state.status === "none") throw new ToolError(`No run ${runId}.`, "not_found");
  return state;
}

/** The browser session of an interactive test that is running in this server. */
export function activeSession(ctx: McpContext, runId: string) {
  const session = ctx.engine.activeSession(runId);
  if (!session)
    throw new ToolError(
      `Run ${runId} has no open browser here: start one with start_test and interactive: true, then use its run_id.`,
      "conflict",
    );
  return session;
}

/** A run in a few words, for the text part of results. */
export function runLine(state: RunDetails): string {
  const c = stepCounts(state);
  return `run ${state.run_id} ${state.status}: ${c.succeeded}/${c.total} steps passed (${c.healed} healed, ${c.failed} failed, ${c.skipped} skipped)`;
}
