import { z } from "zod";

/** What the OpenAPI document needs of a route (a RouteDefinition in route.ts). */
export interface DocumentedRoute {
  method: string;
  url: string;
  role: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  produces?: string[];
  responses?: Partial<Record<number, { description: string; schema?: z.ZodType }>>;
  examples?: Record<string, { summary: string; value: unknown }>;
}

type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

/** zod to JSON Schema without the $schema line, which each embedded schema would otherwise repeat. */
function jsonSchema(s: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as JsonSchema & {
    $schema?: string;
  };
  return rest;
}

const ERROR = { $ref: "#/components/schemas/Error" };
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ERROR } },
});

function parametersOf(r: DocumentedRoute): unknown[] {
  const parameters: unknown[] = [];
  for (const [where, s] of [
    ["path", r.params],
    ["query", r.query],
  ] as const) {
    if (!s) continue;
    const json = jsonSchema(s, "input");
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({
        name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        // OpenAPI shows a parameter's own description, not its schema's.
        ...(property.description ? { description: property.description } : {}),
        schema: property,
      });
    }
  }
  return parameters;
}

function responsesOf(r: DocumentedRoute): Record<string, unknown> {
  const types = r.produces ?? ["application/json"];
  const success = r.responses ?? { 200: { description: "success" } };
  const out: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(success)) {
    if (!answer) continue;
    const { description, schema } = answer;
    // The schema describes the JSON answer; other content types (HTML, XML, PNG) are named bare.
    const content = Object.fromEntries(
      types.map((t) => [
        t,
        schema && t === "application/json" ? { schema: jsonSchema(schema, "output") } : {},
      ]),
    );
    out[status] = { description, content };
  }
  out["400"] = errorResponse("invalid input: every bad field is named, with what to pass");
  if (r.role !== "public") {
    out["401"] = errorResponse("no API key, or an unknown or revoked one");
    out["403"] = errorResponse("the key's role is not enough, or the Host or Origin is refused");
  }
  if (r.url.includes(":id")) out["404"] = errorResponse("no such run (or other resource named in the path)");
  return out;
}

/** The OpenAPI 3.1 document of the routes, from the same zod schemas that validate their input. */
export function openapiDocument(
  routes: readonly DocumentedRoute[],
  info: { title: string; version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.role === "public" ? { security: [] } : { "x-required-role": r.role }),
      parameters: parametersOf(r),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: jsonSchema(r.body, "input"),
                  ...(r.examples ? { examples: r.examples } : {}),
                },
              },
            },
          }
        : {}),
      responses: responsesOf(r),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      ...info,
      description:
        "TestDriver's HTTP API. Send an API key as `Authorization: Bearer td_<id>_<secret>` (viewer reads, runner starts runs, admin reviews); a server without keys answers loopback callers only. The same service speaks MCP at /mcp.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "an API key: td_<id>_<secret>" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error", "message"],
          properties: {
            error: {
              type: "string",
              description: "a machine-readable code: bad_request, no_run, forbidden, …",
            },
            message: { type: "string", description: "what is wrong, naming the field, and what to do" },
            details: { description: "per field: {field, message}, when the input was invalid" },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
