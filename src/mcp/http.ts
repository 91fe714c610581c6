import { randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyInstance } from "fastify";
import { createMcpServer, type McpShared } from "./server.js";

interface Session {
  transport: StreamableHTTPServerTransport;
  close: () => Promise<void>;
}

const rpcError = (code: number, message: string) => ({ jsonrpc: "2.0", error: { code, message }, id: null });

/**
 * MCP over Streamable HTTP at /mcp, on the API's fastify server: one MCP server per session, bound to the
 * role of the key that opened it (viewers get the read-only tools). The API's auth hook has checked the key.
 */
export function registerMcpRoute(app: FastifyInstance, ctx: McpShared) {
  const sessions = new Map<string, Session>();
  app.addHook("onClose", async () => {
    await Promise.allSettled([...sessions.values()].map((s) => s.close()));
  });
  app.route({
    method: ["POST", "GET", "DELETE"],
    url: "/mcp",
    config: { role: "viewer" },
    handler: async (request, reply) => {
      const header = request.headers["mcp-session-id"];
      const sessionId = typeof header === "string" ? header : undefined;
      let session = sessionId ? sessions.get(sessionId) : undefined;
      if (sessionId && !session)
        return reply.status(404).send(rpcError(-32001, `no MCP session ${sessionId}: initialize a new one`));
      if (!session) {
        if (request.method !== "POST" || !isInitializeRequest(request.body))
          return reply.status(400).send(rpcError(-32000, "no session: send an initialize request first"));
        const { server, close } = createMcpServer(ctx, { role: request.caller?.role });
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            sessions.set(id, created);
          },
        });
        const created: Session = {
          transport,
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
        session = created;
      }
      reply.hijack();
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
    },
  });
}
