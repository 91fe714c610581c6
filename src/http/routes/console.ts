import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { CONSOLE_STYLES } from "../../web/ui/console-styles.js";
import { STYLES } from "../../web/ui/styles.js";
import type { AppContext } from "../context.js";

// The console's modules are the compiled dist/web (the same path from src/http/routes and dist/http/routes).
const WEB = fileURLToPath(new URL("../../../dist/web/", import.meta.url));
const MODULE = /^(ui|app)\/[a-z][a-z0-9-]*\.js$/;

const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>TestDriver console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/app/main.js"></script>
</head><body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="#/runs">TestDriver</a>
  <nav aria-label="Console"><ul>
    <li><a href="#/runs" data-nav="runs">Runs</a></li>
    <li><a href="#/heals" data-nav="heals">Heal review <span id="heal-count" class="count"></span></a></li>
    <li><a href="#/baselines" data-nav="baselines">Baselines and drift</a></li>
    <li><a href="#/reliability" data-nav="reliability">Reliability</a></li>
  </ul></nav>
  <div id="who" class="who"></div>
</header>
<main id="main" tabindex="-1"><h1>TestDriver</h1><p>Loading the console…</p></main>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
<svg class="defs" aria-hidden="true" focusable="false"><defs id="shot-defs"></defs></svg>
<noscript><p>The console needs JavaScript. The API is described at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
</body></html>
`;

/** No inline script or style, nothing from elsewhere: the console's pages only load the console's files. */
function secure(reply: FastifyReply) {
  return reply
    .header(
      "content-security-policy",
      "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer");
}

/** The web console at `/`: an HTML shell, its stylesheet and its ES modules; the data comes from the API. */
export function registerConsoleRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes } = ctx;
  routes.add(app, {
    method: "GET",
    url: "/",
    role: "public",
    tag: "console",
    summary:
      "The web console: runs live, steps with their screenshots, time travel, heal review, baselines and drift, reliability. It holds no data; it reads this API with the key it is given.",
    produces: ["text/html"],
    handler: async (_input, _request, reply) => secure(reply).type("text/html; charset=utf-8").send(INDEX),
  });

  app.get("/console/console.css", { config: { role: "public" } }, async (_request, reply) =>
    secure(reply)
      .type("text/css; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(STYLES + CONSOLE_STYLES),
  );

  app.get("/console/*", { config: { role: "public" } }, async (request, reply) => {
    const path = (request.params as { "*": string })["*"];
    if (!MODULE.test(path))
      return reply.status(404).send({ error: "not_found", message: `no console file ${path}` });
    const source = await readFile(WEB + path, "utf8").catch(() => undefined);
    if (source === undefined)
      return reply.status(404).send({
        error: "not_found",
        message: `no console file ${path}; the console is served from the built dist/ (npm run build)`,
      });
    return secure(reply)
      .type("text/javascript; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(source.replace(/\n\/\/# sourceMappingURL=.*$/, "\n"));
  });

  routes.add(app, {
    method: "GET",
    url: "/api/me",
    role: "viewer",
    tag: "console",
    summary:
      "Who the caller is: the key's name and role (viewer sees, runner starts runs, admin reviews), and whether this server needs keys at all.",
    handler: async (_input, request) => ({
      name: request.caller?.name ?? "anonymous",
      role: request.caller?.role ?? "viewer",
      auth: ctx.auth,
    }),
  });
}
