import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { AppContext } from "../context.js";

/**
 * The interactive API reference at /docs: Swagger UI from the swagger-ui-dist package, served from here so
 * that it works offline and behind a firewall. Nothing comes from a CDN, and the validator badge (which would
 * send the document to swagger.io) is off.
 */

const DIST = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>TestDriver API reference</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<script src="/docs/assets/swagger-ui-bundle.js" defer></script>
<script src="/docs/reference.js" defer></script>
</head><body>
<main id="reference"><noscript><p>The reference needs JavaScript. The document itself is at <a href="/openapi.json">/openapi.json</a>.</p></noscript></main>
</body></html>
`;

// Try-it-out sends requests to this origin; "Authorize" takes an API key as a bearer token.
const SCRIPT = `window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#reference",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null,
    displayRequestDuration: true,
    docExpansion: "list",
  });
});
`;

/** Same origin only; Swagger UI sets inline styles and shows inline SVG and data: images. */
function secure(reply: FastifyReply) {
  return reply
    .header(
      "content-security-policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer");
}

export function registerDocsRoutes(app: FastifyInstance, ctx: AppContext) {
  const cache = new Map<string, Buffer>();

  ctx.routes.add(app, {
    method: "GET",
    url: "/docs",
    role: "public",
    tag: "operations",
    summary:
      "The interactive API reference (Swagger UI, bundled: it loads nothing from elsewhere): every route with its parameters, examples and answers, and Try it out with an API key.",
    produces: ["text/html"],
    handler: async (_input, _request, reply) => secure(reply).type("text/html; charset=utf-8").send(PAGE),
  });

  app.get("/docs/reference.js", { config: { role: "public" } }, async (_request, reply) =>
    secure(reply).type("text/javascript; charset=utf-8").send(SCRIPT),
  );

  app.get("/docs/assets/:file", { config: { role: "public" } }, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const type = ASSETS[file];
    if (!type) return reply.status(404).send({ error: "not_found", message: `no reference file ${file}` });
    let bytes = cache.get(file);
    if (!bytes) {
      bytes = await readFile(join(DIST, file));
      cache.set(file, bytes);
    }
    return secure(reply).type(type).header("cache-control", "public, max-age=3600").send(bytes);
  });
}
