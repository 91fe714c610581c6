import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ScriptsDisabledError, UrlRefusedError } from "../adapters/browser/url-policy.js";
import type { Role } from "../adapters/sql/api-keys.js";
import { BaselineRefused } from "../domain/drift/baseline.js";
import { PlanValidationError } from "../domain/plan/parse.js";
import { RequirementsError } from "../domain/planner/requirements-plan.js";
import { RunRuleError } from "../domain/run/decide.js";
import { stepCounts } from "../domain/run/state.js";
import { DriftCheckError } from "../engine/drift/service.js";
import type { RunDetails } from "../projections/run-report/details.js";
import type { McpContext } from "./context.js";

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A refusal the model can act on: becomes a tool result with isError and this message. */
export class ToolError extends Error {}

export interface ToolDefinition<Shape extends z.ZodRawShape> {
  name: string;
  title: string;
  /** For a model: what it does, when to use it, what it returns. */
  description: string;
  input: Shape;
  /** Fields shown in tools/list in place of the validated ones (a typed view of a free-form field). */
  listedInput?: z.ZodRawShape;
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

const NEXT = {
  no_run: "Call list_tests to see the test ids there are.",
  wrong_status: "Call get_report to see where the test stands.",
} as const;

/** Turns what went wrong into a message that says what to do next. */
function explain(error: unknown): string | undefined {
  if (error instanceof ToolError) return error.message;
  if (error instanceof PlanValidationError) return `${error.message}\nFix these fields and call again.`;
  if (error instanceof RequirementsError)
    return `${error.message}\nRephrase those sentences in one of these forms, or pass a plan.`;
  if (error instanceof RunRuleError)
    return `${error.message}. ${NEXT[error.code as keyof typeof NEXT] ?? "Call get_report for the test's state."}`;
  if (error instanceof UrlRefusedError)
    return `${error.message}. Only the application's host, loopback and TESTDRIVER_ALLOWED_HOSTS may be opened; use a URL on the application under test.`;
  if (error instanceof ScriptsDisabledError) return error.message;
  if (error instanceof BaselineRefused || error instanceof DriftCheckError)
    return `${error.message}. Call capture_baseline or approve_baseline as the message says.`;
  return undefined;
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: "text", text }] });

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
      inputSchema: tool.input,
      annotations: { title: tool.title, readOnlyHint: tool.readOnly ?? false, openWorldHint: !tool.readOnly },
    },
    (async (args: z.infer<z.ZodObject<Shape>>, extra: Extra) => {
      if (!tool.readOnly && role === "viewer") {
        return failure(
          `${tool.name} changes things and needs an API key with the runner role; this key is a viewer. Read-only tools (get_report, list_tests, get_test_metrics, ...) work.`,
        );
      }
      let ctx: McpContext;
      try {
        ctx = await ready;
      } catch (error) {
        return failure(
          `TestDriver could not open its store, so ${tool.name} cannot run: ${(error as Error).message}`,
        );
      }
      try {
        return await tool.handler(args, ctx, extra);
      } catch (error) {
        const message = explain(error);
        if (message === undefined) {
          ctx.logger?.error({ err: error, tool: tool.name }, "tool failed");
          return failure(`${tool.name} failed: ${(error as Error).message}`);
        }
        return failure(message);
      }
    }) as never,
  );
}

export const TestId = z.string().uuid("test_id must be a test id (a UUID) from start_test or list_tests");

/** The run behind a test id, or a refusal that says how to find one. */
export async function loadTest(ctx: McpContext, testId: string): Promise<RunDetails> {
  const state = await ctx.engine.details(testId);
  if (state.status === "none") throw new ToolError(`No test ${testId}. ${NEXT.no_run}`);
  return state;
}

/** The browser session of an interactive test that is running in this server. */
export function activeSession(ctx: McpContext, testId: string) {
  const session = ctx.engine.activeSession(testId);
  if (!session)
    throw new ToolError(
      `Test ${testId} has no open browser here: start one with start_test and interactive: true, then use its test_id.`,
    );
  return session;
}

/** A run in a few words, for the text part of results. */
export function runLine(state: RunDetails): string {
  const c = stepCounts(state);
  return `test ${state.run_id} ${state.status}: ${c.succeeded}/${c.total} steps passed (${c.healed} healed, ${c.failed} failed, ${c.skipped} skipped)`;
}
