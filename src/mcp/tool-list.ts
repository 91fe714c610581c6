import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Role } from "../adapters/sql/api-keys.js";
import type { ToolDefinition } from "./tool.js";

type Json = Record<string, unknown>;

/**
 * Constraints a model does not need to choose its arguments (the server checks them and names the field it
 * refuses): left out of the list. Bounds go too; a description says the range where it matters.
 */
const NOISE = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "$schema",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "format",
  "additionalProperties",
  "propertyNames",
]);

function lean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lean);
  if (!value || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (
      NOISE.has(k) &&
      !(k === "additionalProperties" && typeof v === "object" && Object.keys(v ?? {}).length)
    )
      continue;
    // A flag is off and a list empty unless set: saying so costs tokens and tells nothing.
    if (k === "default" && (v === false || (Array.isArray(v) && v.length === 0))) continue;
    // An enum of strings says its type; an empty schema for items says nothing.
    if (k === "type" && v === "string" && Array.isArray((value as Json).enum)) continue;
    if (k === "items" && v && typeof v === "object" && !Object.keys(v).length) continue;
    out[k] =
      k === "properties"
        ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, lean(s)]))
        : lean(v);
  }
  return out;
}

/**
 * A tool's input as JSON Schema, small: a schema used twice is defined once ($defs), and what the server
 * validates anyway (string patterns and formats, such as a UUID's regex) is not repeated to the model.
 */
export function inputSchemaOf(shape: z.ZodRawShape): Tool["inputSchema"] {
  const schema = lean(z.toJSONSchema(z.object(shape), { io: "input", unrepresentable: "any" })) as Json;
  return shared(schema) as Tool["inputSchema"];
}

/** Sub-schemas of some size that occur more than once (a step target, say) become one definition each. */
function shared(schema: Json): Json {
  const seen = new Map<string, number>();
  // A `properties` map is no schema: its values are, itself never.
  const count = (v: unknown, isMap = false, into = seen) => {
    if (!v || typeof v !== "object") return;
    const key = JSON.stringify(v);
    if (!isMap && key.length >= 120 && !Array.isArray(v)) into.set(key, (into.get(key) ?? 0) + 1);
    for (const [k, child] of Object.entries(v)) count(child, k === "properties", into);
  };
  for (const [k, child] of Object.entries(schema)) count(child, k === "properties");
  const defs: Json = {};
  const names = new Map<string, string>();
  // Largest first: once a schema is a definition, what it contains occurs once more there, not n times.
  for (const key of [...seen.keys()].sort((a, b) => b.length - a.length)) {
    const n = seen.get(key)!;
    if (n < 2) continue;
    names.set(key, `d${names.size}`);
    const inner = new Map<string, number>();
    count(JSON.parse(key), false, inner);
    for (const [k, m] of inner) if (k !== key) seen.set(k, seen.get(k)! - m * (n - 1));
  }
  const inside = (v: object): unknown =>
    Array.isArray(v)
      ? v.map((c) => replace(c))
      : Object.fromEntries(Object.entries(v).map(([k, c]) => [k, replace(c, k === "properties")]));
  const replace = (v: unknown, isMap = false): unknown => {
    if (!v || typeof v !== "object") return v;
    const name = isMap ? undefined : names.get(JSON.stringify(v));
    if (!name) return inside(v);
    defs[name] ??= inside(v);
    return { $ref: `#/$defs/${name}` };
  };
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, replace(v, k === "properties")]));
  return Object.keys(defs).length ? { ...out, $defs: defs } : out;
}

export function toolEntry(tool: ToolDefinition<z.ZodRawShape>): Tool {
  const shape: z.ZodRawShape = Object.fromEntries(
    Object.entries({ ...tool.input, ...tool.listedInput }).filter(([k]) => !tool.unlisted?.includes(k)),
  );
  // No title: clients show the name (snake_case reads well), and 26 titles cost an agent ~190 tokens a turn.
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: inputSchemaOf(shape),
    // MCP's defaults (not read-only, open world) are what a tool that acts is: only read-only ones say more.
    ...(tool.readOnly ? { annotations: { readOnlyHint: true } } : {}),
  };
}

/**
 * Serves tools/list from the definitions, lean (see inputSchemaOf): what every call of an agent carries.
 * A viewer sees only the tools it may call.
 */
export function serveToolList(
  server: McpServer,
  tools: ToolDefinition<z.ZodRawShape>[],
  role: Role | undefined,
) {
  const listed = tools.filter((t) => role !== "viewer" || t.readOnly).map(toolEntry);
  server.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
}
