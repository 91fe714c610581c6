import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Role } from "../adapters/sql/api-keys.js";
import { issueMessage } from "./input-issues.js";
import { openapiDocument } from "./openapi.js";

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
  /**
   * What a success answers, by status, for the OpenAPI document: its meaning and its shape. Without it the
   * document says only "200 success".
   */
  responses?: Partial<Record<200 | 201 | 202, { description: string; schema?: Schema }>>;
  /** Request bodies to copy, for the OpenAPI document and the interactive reference's "Try it out". */
  examples?: Record<string, { summary: string; value: unknown }>;
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
  const input = value ?? {};
  const result = schema.safeParse(input);
  if (result.success) return result.data as Infer<S>;
  const issues = result.error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join("."),
    message: issueMessage(schema, input, i),
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

  /** The routes added so far, in order. */
  list(): readonly RouteDefinition<Schema | undefined, Schema | undefined, Schema | undefined>[] {
    return this.routes;
  }

  openapi(info: { title: string; version: string }): Record<string, unknown> {
    return openapiDocument(this.routes, info);
  }
}
