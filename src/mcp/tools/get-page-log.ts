import { z } from "zod";
import { masked } from "../observe.js";
import { secretsOf } from "../secrets.js";
import { activeSession, defineTool, RunId, result } from "../tool.js";

/** A URL without its origin when it is the page's own: shorter lines for the requests an app makes. */
const shortUrl = (url: string, origin: string) =>
  url.startsWith(origin) ? url.slice(origin.length) || "/" : url;

export const getPageLog = defineTool({
  name: "get_page_log",
  title: "Console and network of a test",
  description:
    "Console messages, JS errors and network requests of an interactive run's browser, oldest first (the latest limit of each).",
  readOnly: true,
  input: {
    run_id: RunId,
    kind: z.enum(["console", "network", "both"]).default("both"),
    only_errors: z.boolean().default(false),
    limit: z.number().int().min(1).max(500).default(30),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.run_id);
    const secrets = secretsOf(ctx, args.run_id);
    const origin = new URL(await session.currentUrl()).origin;
    const lines: string[] = [];
    const messages = [
      ...session.consoleLogs().map((c) => ({ at: c.timestamp, level: c.level, text: c.text })),
      ...session.jsErrors().map((e) => ({ at: e.timestamp, level: "pageerror", text: e.message })),
    ]
      .filter((c) => !args.only_errors || c.level === "error" || c.level === "pageerror")
      .sort((a, b) => a.at - b.at)
      .slice(-args.limit)
      .map((c) => ({ level: c.level, text: masked(c.text, secrets).slice(0, 500) }));
    const network = session
      .network()
      .filter((n) => !args.only_errors || n.failure || (n.status ?? 0) >= 400)
      .slice(-args.limit)
      .map((n) => ({
        method: n.method,
        url: masked(shortUrl(n.url, origin), secrets),
        ...(n.status !== undefined ? { status: n.status } : {}),
        ...(n.failure ? { failure: n.failure } : {}),
        ...(n.durationMs !== undefined ? { ms: Math.round(n.durationMs) } : {}),
      }));
    if (args.kind !== "network") {
      lines.push(`Console (${messages.length}):`, ...messages.map((c) => `[${c.level}] ${c.text}`));
    }
    if (args.kind !== "console") {
      lines.push(
        `Network (${network.length}):`,
        ...network.map(
          (n) =>
            `${n.method} ${n.url} ${n.failure ?? n.status ?? "pending"}${n.ms !== undefined ? ` ${n.ms} ms` : ""}`,
        ),
      );
    }
    return result(lines.join("\n"), {
      run_id: args.run_id,
      ...(args.kind !== "network" ? { console: messages } : {}),
      ...(args.kind !== "console" ? { network } : {}),
    });
  },
});
