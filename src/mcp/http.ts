import { createHash, randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Config, loadConfig } from "../config/load.js";
import { createMcpServer, type McpShared } from "./server.js";

interface Session {
  transport: StreamableHTTPServerTransport;
  /** A hash of the API key that opened it: every later request must carry the same key. */
  key: string;
  lastUsed: number;
  close: () => Promise<void>;
}

export interface McpSessionLimits {
  /** Open sessions at most; an initialize beyond it is refused (503) once idle ones are gone. */
  maxSessions: number;
  /** A session unused this long is closed. */
  idleMs: number;
  /** The clock idleness is measured with. */
  now?: () => number;
}

/** The limits the configuration sets (TESTDRIVER_MCP_MAX_SESSIONS, TESTDRIVER_MCP_IDLE_SECONDS). */
export function limitsOf(config: Pick<Config, "mcp">): McpSessionLimits {
  return { maxSessions: config.mcp.maxSessions, idleMs: config.mcp.idleSeconds * 1000 };
}

const rpcError = (code: number, message: string) => ({ jsonrpc: "2.0", error: { code, message }, id: null });

/** The key a request carries (the API's auth hook has checked it), as a hash: sessions hold no secret. */
function keyHashOf(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  const key =
    typeof auth === "string" && /^bearer /i.test(auth) ? auth.slice(7).trim() : request.headers["x-api-key"];
  return createHash("sha256")
    .update(typeof key === "string" ? key : `caller:${request.caller?.name ?? ""}`)
    .digest("hex");
}

/**
 * MCP over Streamable HTTP at /mcp, on the API's fastify server: one MCP server per session, bound to the
 * key that opened it (its role decides the tools; a request with another key is refused), capped in number
 * and closed when idle. Runs record the key's name as who asked for them. `?tools=all` lists every tool.
 */
export function registerMcpRoute(
  app: FastifyInstance,
  ctx: McpShared | Promise<McpShared>,
  limits: McpSessionLimits = limitsOf(loadConfig()),
) {
  const clock = limits.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const closeIdle = async (now: number) => {
    const idle = [...sessions].filter(([, s]) => now - s.lastUsed > limits.idleMs);
    for (const [id] of idle) sessions.delete(id);
    await Promise.allSettled(idle.map(([, s]) => s.close()));
  };
  const sweep = setInterval(() => void closeIdle(clock()), Math.min(limits.idleMs, 60_000));
  sweep.unref();
  app.addHook("onClose", async () => {
    clearInterval(sweep);
    await Promise.allSettled([...sessions.values()].map((s) => s.close()));
  });
  app.route({
    method: ["POST", "GET", "DELETE"],
    url: "/mcp",
    config: { role: "viewer" },
    handler: async (request, reply) => {
      const header = request.headers["mcp-session-id"];
      const sessionId = typeof header === "string" ? header : undefined;
      const now = clock();
      await closeIdle(now);
      let session = sessionId ? sessions.get(sessionId) : undefined;
      if (sessionId && !session)
        return reply
          .status(404)
          .send(
            rpcError(-32001, `no MCP session ${sessionId} (closed, or idle too long): initialize a new one`),
          );
      if (session && session.key !== keyHashOf(request))
        return reply
          .status(403)
          .send(
            rpcError(-32003, "this MCP session belongs to another API key: initialize a session with yours"),
          );
      if (!session) {
        if (request.method !== "POST" || !isInitializeRequest(request.body))
          return reply.status(400).send(rpcError(-32000, "no session: send an initialize request first"));
        if (sessions.size >= limits.maxSessions)
          return reply
            .status(503)
            .send(
              rpcError(
                -32002,
                `too many MCP sessions (${limits.maxSessions}): close one (DELETE /mcp) or wait until idle ones expire`,
              ),
            );
        session = await open(request);
      }
      session.lastUsed = now;
      reply.hijack();
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
    },
  });

  async function open(request: FastifyRequest): Promise<Session> {
    const requester = request.caller?.name;
    const { server, close } = createMcpServer(
      Promise.resolve(ctx).then((shared) => ({ ...shared, requester })),
      {
        role: request.caller?.role,
        tools: (request.query as { tools?: string }).tools === "all" ? "all" : "core",
      },
    );
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, created);
      },
    });
    const created: Session = {
      transport,
      key: keyHashOf(request),
      lastUsed: clock(),
      close: async () => {
        close();
        await server.close();
      },
    };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      close();
    };
    await server.connect(transport);
    return created;
  }
}
