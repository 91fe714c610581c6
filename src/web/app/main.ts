import { html } from "../ui/html.js";
import { ApiError, api, apiKey, followLog } from "./api.js";
import {
  announce,
  type Ctx,
  formValues,
  type Me,
  on,
  type Route,
  render,
  roleAllows,
  type View,
} from "./dom.js";
import { baselinesView } from "./view-baselines.js";
import { healsView } from "./view-heals.js";
import { reliabilityView } from "./view-reliability.js";
import { runView } from "./view-run.js";
import { runsView } from "./view-runs.js";
import { startView } from "./view-start.js";

type Listener = Parameters<Ctx["live"]["subscribe"]>[0];
const listeners = new Set<Listener>();
const live = {
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

function routeOf(hash: string): Route {
  const [path = "", q = ""] = hash.replace(/^#\/?/, "").split("?");
  return { path: path.split("/").filter(Boolean), params: new URLSearchParams(q) };
}

function viewOf(route: Route): { view: View; nav: string } {
  const [section, id] = route.path;
  if (section === "runs" && id) return { view: runView, nav: "runs" };
  if (section === "start") return { view: startView, nav: "runs" };
  if (section === "heals") return { view: healsView, nav: "heals" };
  if (section === "baselines") return { view: baselinesView, nav: "baselines" };
  if (section === "reliability") return { view: reliabilityView, nav: "reliability" };
  return { view: runsView, nav: "runs" };
}

const main = () => document.getElementById("main")!;

/** The key form, shown when the API asks for one (401), with the API's reason. */
function signIn(reason?: string): Promise<Me> {
  return new Promise((resolve) => {
    render(
      main(),
      html`<h1 tabindex="-1">Sign in to the TestDriver console</h1>
<p>This server needs an API key. A <strong>viewer</strong> key sees runs, heals and baselines; a <strong>runner</strong> key also starts runs; an <strong>admin</strong> key also approves heals and baselines. Keys are made with <code>testdriver keys create --name NAME --role ROLE</code>.</p>
${reason ? html`<p class="notice bad" role="alert">${reason}</p>` : ""}
<form id="signin" class="stacked">
<div class="field"><label for="key">API key</label><input id="key" name="key" type="password" autocomplete="off" required spellcheck="false" aria-describedby="key-help"><span id="key-help" class="muted">td_ followed by the key's id and secret</span></div>
<div><input id="remember" name="remember" type="checkbox" value="yes"> <label for="remember">Remember on this computer</label></div>
<div><button class="primary" type="submit">Sign in</button></div></form>`,
    );
    (main().querySelector("h1") as HTMLElement).focus();
    const form = main().querySelector<HTMLFormElement>("#signin")!;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = formValues(form);
      apiKey.set(values.key ?? "", values.remember === "yes");
      try {
        resolve(await api<Me>("/api/me"));
      } catch (error) {
        apiKey.clear();
        resolve(await signIn((error as Error).message));
      }
    });
  });
}

async function whoAmI(): Promise<Me> {
  try {
    return await api<Me>("/api/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      apiKey.clear();
      return signIn(apiKey.get() ? error.message : undefined);
    }
    throw error;
  }
}

function showWho(me: Me) {
  const who = document.getElementById("who")!;
  render(
    who,
    me.auth === "open"
      ? html`<span>No keys needed here (loopback): <strong>${me.role}</strong></span>`
      : html`<span>${me.name}: <strong>${me.role}</strong></span><button type="button" id="signout">Sign out</button>`,
  );
  who.querySelector("#signout")?.addEventListener("click", () => {
    apiKey.clear();
    location.reload();
  });
}

async function refreshHealCount() {
  const { heals } = await api<{ heals: unknown[] }>("/api/heals?review=pending&limit=500").catch(() => ({
    heals: [],
  }));
  const count = document.getElementById("heal-count");
  if (count) {
    count.textContent = heals.length ? String(heals.length) : "";
    count.setAttribute("aria-label", heals.length ? `${heals.length} awaiting review` : "");
  }
}

async function start() {
  const me = await whoAmI();
  showWho(me);
  const ctx: Ctx = { me, live, can: (role) => roleAllows(me.role, role) };
  const { projections } = await api<{ projections: { head: number }[] }>("/api/projections");
  followLog(
    projections[0]?.head ?? 0,
    (event) => {
      for (const l of listeners) l(event);
    },
    (on) => document.body.classList.toggle("offline", !on),
  );
  live.subscribe((e) => {
    if (e.type === "LocatorHealed" || e.type === "HealingReviewed") void refreshHealCount();
  });
  void refreshHealCount();

  let cleanup: (() => void) | undefined;
  let current = "";
  const show = async () => {
    const route = routeOf(location.hash || "#/runs");
    const { view, nav } = viewOf(route);
    for (const a of document.querySelectorAll<HTMLElement>("[data-nav]")) {
      if (a.dataset.nav === nav) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    cleanup?.();
    cleanup = undefined;
    const page = route.path.slice(0, 3).join("/");
    const moved = page !== current;
    current = page;
    try {
      cleanup = (await view(main(), route, ctx)) ?? undefined;
    } catch (error) {
      render(
        main(),
        html`<h1 tabindex="-1">Something went wrong</h1><p class="notice bad" role="alert">${(error as Error).message}</p><p><a href="#/runs">Back to the runs</a></p>`,
      );
    }
    // A new page takes the focus to its heading, as a page load would; a change of filter does not.
    if (moved) (main().querySelector("h1") as HTMLElement | null)?.focus();
    const h1 = main().querySelector("h1")?.textContent?.trim();
    document.title = `${h1 ?? "Console"} · TestDriver`;
    if (moved && h1) announce(h1);
  };
  window.addEventListener("hashchange", () => void show());
  on(document.body, "click", "a[href='#main']", (event) => {
    event.preventDefault();
    main().focus();
  });
  await show();
}

void start();
