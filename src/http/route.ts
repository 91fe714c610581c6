import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Role } from "../adapters/sql/api-keys.js";

/** An error with the HTTP status and machine-readable code the client receives. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteDefinition<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  method: "GET" | "POST" | "DELETE";
  /** fastify syntax: /api/runs/:id */
  url: string;
  /** The least role a caller needs; "public" needs no key. */
  role: Role | "public";
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Content types a success returns, for the OpenAPI document. */
  produces?: string[];
  handler: (
    input: { params: Infer<P>; query: Infer<Q>; body: Infer<B> },
    request: FastifyRequest,
    reply: FastifyReply,
  ) => Promise<unknown>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    role?: Role | "public";
  }
}

function parse<S extends Schema | undefined>(schema: S, value: unknown, where: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data as Infer<S>;
  const issues = result.error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join("."),
    message: i.message,
  }));
  throw new HttpError(400, "bad_request", issues.map((i) => `${i.field}: ${i.message}`).join("; "), issues);
}

/** Routes with zod-validated input, a required role, and their OpenAPI description from the same schemas. */
export class RouteTable {
  private readonly routes: RouteDefinition<Schema | undefined, Schema | undefined, Schema | undefined>[] = [];

  add<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined>(
    app: FastifyInstance,
    route: RouteDefinition<P, Q, B>,
  ): void {
    this.routes.push(route as never);
    app.route({
      method: route.method,
      url: route.url,
      config: { role: route.role },
      handler: async (request, reply) => {
        const input = {
          params: parse(route.params as P, request.params, "params"),
          query: parse(route.query as Q, request.query, "query"),
          body: parse(route.body as B, request.body, "body"),
        };
        return route.handler(input, request, reply);
      },
    });
  }

  openapi(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (s: Schema) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
    for (const r of this.routes) {
      const path = r.url.replace(/:([A-Za-z_]+)/g, "{$1}");
      const parameters: unknown[] = [];
      for (const [where, s] of [
        ["path", r.params],
        ["query", r.query],
      ] as const) {
        if (!s) continue;
        const json = schema(s) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, property] of Object.entries(json.properties ?? {})) {
          parameters.push({
            name,
            in: where,
            required: where === "path" || (json.required ?? []).includes(name),
            schema: property,
          });
        }
      }
      paths[path] ??= {};
      paths[path][r.method.toLowerCase()] = {
        summary: r.summary,
        tags: [r.tag],
        ...(r.role === "public" ? { security: [] } : { "x-required-role": r.role }),
        parameters,
        ...(r.body
          ? { requestBody: { required: true, content: { "application/json": { schema: schema(r.body) } } } }
          : {}),
        responses: {
          "200": {
            description: "success",
            content: Object.fromEntries((r.produces ?? ["application/json"]).map((t) => [t, {}])),
          },
          "400": { description: "invalid input: every bad field is named" },
          ...(r.role === "public"
            ? {}
            : {
                "401": { description: "no or unknown API key" },
                "403": { description: "the key's role is not enough" },
              }),
        },
      };
    }
    return {
      openapi: "3.1.0",
      info,
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "an API key: td_<id>_<secret>" },
        },
      },
      security: [{ bearer: [] }],
      paths,
    };
  }
}
