import Fastify, { type FastifyInstance } from "fastify";
import { roleAllows } from "../adapters/sql/api-keys.js";
import { classifyError } from "../domain/errors.js";
import { PlanValidationError } from "../domain/plan/parse.js";
import { registerMcpRoute } from "../mcp/http.js";
import type { AppContext, ServerDeps } from "./context.js";
import { hostGuard } from "./host-guard.js";
import { LatencyHistogram } from "./prometheus.js";

export type { AppContext, Caller, ServerDeps } from "./context.js";

import { HttpError, RouteTable } from "./route.js";
import { registerBaselineViewRoutes } from "./routes/baseline-views.js";
import { registerBaselineRoutes } from "./routes/baselines.js";
import { registerConsoleRoutes } from "./routes/console.js";
import { registerDocsRoutes } from "./routes/docs.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerHealRoutes } from "./routes/heals.js";
import { registerOpsRoutes } from "./routes/ops.js";
import { registerPlanRoutes } from "./routes/plans.js";
import { registerReliabilityRoutes } from "./routes/reliability.js";
import { registerRunViewRoutes } from "./routes/run-views.js";
import { registerRunRoutes } from "./routes/runs.js";

/** The API key of a request: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
function keyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === "string" && /^bearer /i.test(auth)) return auth.slice(7).trim();
  const key = headers["x-api-key"];
  return typeof key === "string" ? key : undefined;
}

/** The fastify application: auth, error mapping and latency measurement here, the routes in their plugins. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  // Open event streams must not hold a shutdown back.
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024, forceCloseConnections: true });
  const ctx: AppContext = { ...deps, routes: new RouteTable(), latency: new LatencyHistogram() };

  const guard = hostGuard(deps.hosts ?? {});
  app.addHook("onRequest", async (request) => guard(request, keyOf(request.headers) !== undefined));

  app.addHook("onRequest", async (request) => {
    const role = request.routeOptions.config?.role;
    if (role === undefined || role === "public") return;
    if (deps.auth === "open") {
      request.caller = { role: "admin", name: "loopback" };
      return;
    }
    const key = keyOf(request.headers);
    if (!key) throw new HttpError(401, "unauthorized", "send an API key: Authorization: Bearer <key>");
    const found = await deps.keys.verify(key);
    if (!found) throw new HttpError(401, "unauthorized", "the API key is unknown, malformed or revoked");
    if (!roleAllows(found.role, role))
      throw new HttpError(
        403,
        "forbidden",
        `this needs the ${role} role; the key ${found.key_id} is ${found.role}`,
      );
    request.caller = { role: found.role, name: found.name };
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    ctx.latency.observe(
      { method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.status).send({
        error: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    const fastifyError = error as { statusCode?: number; code?: string; message: string };
    if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      return reply
        .status(fastifyError.statusCode)
        .send({ error: fastifyError.code ?? "bad_request", message: fastifyError.message });
    }
    // Every other error: its kind in the one table (src/domain/errors.ts) gives the status.
    const classified = classifyError(error);
    if (classified.kind !== "internal") {
      return reply.status(classified.http).send({
        error: classified.code,
        message: classified.message,
        ...(error instanceof PlanValidationError ? { details: error.issues } : {}),
      });
    }
    deps.logger?.error({ err: error, url: request.url }, "request failed");
    return reply.status(500).send({ error: "internal", message: (error as Error).message });
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply.status(404).send({ error: "not_found", message: `no route ${request.method} ${request.url}` }),
  );

  registerOpsRoutes(app, ctx);
  registerRunRoutes(app, ctx);
  registerHealRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerBaselineRoutes(app, ctx);
  registerBaselineViewRoutes(app, ctx);
  registerRunViewRoutes(app, ctx);
  registerPlanRoutes(app, ctx);
  registerReliabilityRoutes(app, ctx);
  registerConsoleRoutes(app, ctx);
  registerDocsRoutes(app, ctx);
  if (deps.mcp) registerMcpRoute(app, deps.mcp, deps.mcpLimits);
  return app;
}
