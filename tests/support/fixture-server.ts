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
  // A page with accessibility violations and a CSP that forbids eval and inline scripts.
  app.get("/a11y-csp", async (_request, reply) =>
    reply
      .header(
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'",
      )
      .type("text/html")
      .send(await readFile(join(PAGES, "a11y-bad.html"))),
  );
  // The shops' profile API: the insecure one leaks a key and a stack trace in its JSON.
  app.get("/api/profile", async (request) =>
    (request.query as { leaky?: string }).leaky === "1"
      ? {
          name: "Ada",
          debug: "Error: boom\n    at handler (/srv/app.js:12:5)",
          aws_key: "AKIAIOSFODNN7EXAMPLE",
        }
      : { name: "Ada" },
  );
  // A page with every passive security problem the checks know, and a search that reflects its query raw.
  app.get("/insecure", async (request, reply) => {
    const q = (request.query as { q?: string }).q;
    return reply
      .header("set-cookie", "session=abc123; Path=/")
      .type("text/html")
      .send(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<form action="/insecure" method="get"><label for="q">Search</label><input id="q" name="q"><button>Find</button></form>
${q === undefined ? "" : `<p>Results for ${q}</p>`}
<form action="http://example.invalid/login" method="post"><label for="u">User</label><input id="u" name="u"></form>
<pre>Traceback (most recent call last):
  File "app.py", line 3</pre><p id="profile"></p><script src="/shop-profile.js" data-leaky="1"></script></body></html>`);
  });
  // The same shop done right: headers set, the cookie protected, the query escaped.
  app.get("/secure", async (request, reply) => {
    const q = (request.query as { q?: string }).q;
    const escaped = (q ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return reply
      .header("set-cookie", "session=abc123; Path=/; HttpOnly; SameSite=Strict")
      .header("content-security-policy", "default-src 'self'; frame-ancestors 'none'")
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .type("text/html")
      .send(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<form action="/secure" method="get"><label for="q">Search</label><input id="q" name="q"><button>Find</button></form>
${q === undefined ? "" : `<p>Results for ${escaped}</p>`}<p id="profile"></p><script src="/shop-profile.js" data-leaky="0"></script></body></html>`);
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
