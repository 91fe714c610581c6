import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * The bundled demo application: sign in, a dashboard, a list with add and delete. Version 2 renames ids,
 * classes and a label and moves buttons, the kind of change that breaks recorded locators.
 */
export type DemoVersion = 1 | 2;

export const DEMO_PASSWORD = "correct horse battery";

interface Session {
  user: string;
  items: string[];
}

const page = (title: string, body: string, version: DemoVersion) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Listly</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; color: #222; }
  .${version === 1 ? "btn" : "button"} { padding: .4rem 1rem; border-radius: 4px; border: 1px solid #246; background: #eef; cursor: pointer; }
  .${version === 1 ? "btn-primary" : "button-main"} { background: #246; color: white; }
  label { display: block; margin-top: .8rem; }
  ul { padding-left: 1.2rem; } li { margin: .3rem 0; }
  .error { color: #b00; } .toolbar { display: flex; gap: .5rem; margin: 1rem 0; }
</style></head>
<body data-version="${version}">${body}</body></html>`;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(version: DemoVersion, error?: string): string {
  const err = error ? `<p class="error" role="alert">${esc(error)}</p>` : "";
  if (version === 1) {
    return page(
      "Sign in",
      `<main><h1>Sign in to Listly</h1>${err}
<form id="login-form" class="login-form" method="post" action="/login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" class="field" placeholder="you@example.com" autocomplete="username">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" class="field" autocomplete="current-password">
  <p><button id="login-btn" class="btn btn-primary" type="submit">Sign in</button></p>
</form></main>`,
      version,
    );
  }
  return page(
    "Sign in",
    `<main><h1>Sign in to Listly</h1>${err}
<form id="signin" class="form-signin" method="post" action="/login">
  <div class="actions-top"><button id="signin-button" class="button button-main" type="submit">Sign in</button></div>
  <div class="row"><label for="user-email">Email address</label>
  <input id="user-email" name="email" type="email" class="input" placeholder="you@example.com" autocomplete="username"></div>
  <div class="row"><label for="user-password">Password</label>
  <input id="user-password" name="password" type="password" class="input" autocomplete="current-password"></div>
</form></main>`,
    version,
  );
}

function dashboardPage(version: DemoVersion, session: Session): string {
  const items = session.items
    .map(
      (item) =>
        `<li class="${version === 1 ? "item" : "entry"}"><span>${esc(item)}</span> <button class="${version === 1 ? "btn delete-btn" : "button remove"}" aria-label="Delete ${esc(item)}" data-item="${esc(item)}">Delete</button></li>`,
    )
    .join("");
  const input =
    version === 1
      ? `<input id="new-item" class="field" placeholder="New item" aria-label="New item">`
      : `<input id="item-text" class="input" placeholder="New item" aria-label="New item">`;
  const add =
    version === 1
      ? `<button id="add-btn" class="btn" type="button">Add</button>`
      : `<button id="create-item" class="button" type="button">Add</button>`;
  const signOut =
    version === 1
      ? `<a id="logout" href="/logout">Sign out</a>`
      : `<a id="sign-out" class="nav-link" href="/logout">Sign out</a>`;
  return page(
    "Dashboard",
    `<header>${version === 1 ? "" : `<nav aria-label="Account">${signOut}</nav>`}</header>
<main><h1>Dashboard</h1><p id="welcome">Welcome, ${esc(session.user)}</p>
<section aria-label="Shopping list"><h2>Shopping list</h2>
<div class="toolbar">${version === 1 ? input + add : add + input}</div>
<ul id="${version === 1 ? "items" : "list"}">${items}</ul>
<p id="count">${session.items.length} item(s)</p></section>
${version === 1 ? `<footer>${signOut}</footer>` : ""}</main>
<script>
  const list = document.querySelector("ul");
  const input = document.querySelector("[aria-label='New item']");
  async function render(items) {
    list.innerHTML = "";
    for (const item of items) {
      const li = document.createElement("li");
      li.className = "${version === 1 ? "item" : "entry"}";
      const span = document.createElement("span"); span.textContent = item;
      const del = document.createElement("button");
      del.className = "${version === 1 ? "btn delete-btn" : "button remove"}"; del.textContent = "Delete";
      del.setAttribute("aria-label", "Delete " + item); del.dataset.item = item;
      li.append(span, " ", del); list.append(li);
    }
    document.getElementById("count").textContent = items.length + " item(s)";
  }
  document.getElementById("${version === 1 ? "add-btn" : "create-item"}").addEventListener("click", async () => {
    const name = input.value.trim();
    if (!name) return;
    const res = await fetch("/api/items", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
    input.value = "";
    render((await res.json()).items);
  });
  list.addEventListener("click", async (e) => {
    const item = e.target.dataset && e.target.dataset.item;
    if (!item) return;
    const res = await fetch("/api/items/" + encodeURIComponent(item), { method: "DELETE" });
    render((await res.json()).items);
  });
</script>`,
    version,
  );
}

/** The demo app of one version, on its own Fastify instance (not yet listening). */
export function demoApp(version: DemoVersion): FastifyInstance {
  const app = Fastify({ logger: false });
  const sessions = new Map<string, Session>();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const sessionOf = (cookie: string | undefined) => {
    const sid = /(?:^|;\s*)sid=([\w-]+)/.exec(cookie ?? "")?.[1];
    return sid ? sessions.get(sid) : undefined;
  };
  app.get("/", async (_req, reply) => reply.redirect("/login"));
  app.get("/login", async (_req, reply) => reply.type("text/html").send(loginPage(version)));
  app.post("/login", async (req, reply) => {
    const { email, password } = (req.body ?? {}) as { email?: string; password?: string };
    if (!email || password !== DEMO_PASSWORD) {
      return reply.code(401).type("text/html").send(loginPage(version, "Invalid email or password"));
    }
    const sid = randomUUID();
    sessions.set(sid, { user: email.split("@")[0]!, items: ["Bread", "Eggs"] });
    return reply
      .header("set-cookie", `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`)
      .redirect("/dashboard", 303);
  });
  app.get("/dashboard", async (req, reply) => {
    const session = sessionOf(req.headers.cookie);
    if (!session) return reply.redirect("/login");
    return reply.type("text/html").send(dashboardPage(version, session));
  });
  app.post("/api/items", async (req, reply) => {
    const session = sessionOf(req.headers.cookie);
    if (!session) return reply.code(401).send({ error: "not signed in" });
    const name = String((req.body as { name?: unknown })?.name ?? "").trim();
    if (name) session.items.push(name);
    return { items: session.items };
  });
  app.delete("/api/items/:name", async (req, reply) => {
    const session = sessionOf(req.headers.cookie);
    if (!session) return reply.code(401).send({ error: "not signed in" });
    const name = (req.params as { name: string }).name;
    session.items = session.items.filter((i) => i !== name);
    return { items: session.items };
  });
  app.get("/logout", async (req, reply) => {
    const sid = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
    if (sid) sessions.delete(sid);
    return reply.header("set-cookie", "sid=; Path=/; Max-Age=0").redirect("/login");
  });
  return app;
}

export interface RunningDemo {
  url: string;
  close: () => Promise<void>;
}

/** Serves one version of the demo on an ephemeral loopback port. */
export async function serveDemo(version: DemoVersion, port = 0): Promise<RunningDemo> {
  const app = demoApp(version);
  await app.listen({ host: "127.0.0.1", port });
  const address = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`,
    close: () => app.close(),
  };
}
