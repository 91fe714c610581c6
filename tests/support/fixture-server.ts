import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";

const PAGES = join(import.meta.dirname, "../fixtures/pages");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
};

export interface FixtureServer {
  url: (path: string) => string;
  origin: string;
  close: () => Promise<void>;
  app: FastifyInstance;
}

/** Serves tests/fixtures/pages on an ephemeral loopback port, with a few dynamic routes for network cases. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const app = Fastify({ logger: false });
  app.get("/api/status/:code", async (request, reply) => {
    const code = Number((request.params as { code: string }).code);
    return reply.code(code).send({ status: code });
  });
  app.get("/api/slow", async (request) => {
    const ms = Number((request.query as { ms?: string }).ms ?? 500);
    await new Promise((r) => setTimeout(r, ms));
    return { waited: ms };
  });
  app.get("/*", async (request, reply) => {
    const relative = normalize((request.params as { "*": string })["*"] || "form.html").replace(
      /^(\.\.[/\\])+/,
      "",
    );
    try {
      const body = await readFile(join(PAGES, relative));
      return reply.type(TYPES[extname(relative)] ?? "application/octet-stream").send(body);
    } catch {
      return reply.code(404).type("text/plain").send("not found");
    }
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return { app, origin, url: (path) => `${origin}/${path.replace(/^\//, "")}`, close: () => app.close() };
}
