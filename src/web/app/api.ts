/** The console's only way to its data: the public HTTP API, with the key the person gave. */

const KEY = "testdriver.key";

export const apiKey = {
  get: () => sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY) ?? undefined,
  set(key: string, remember: boolean) {
    sessionStorage.setItem(KEY, key);
    if (remember) localStorage.setItem(KEY, key);
  },
  clear() {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey.get();
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

/** A JSON request; a refusal becomes an ApiError carrying the API's own message. */
export async function api<T = Record<string, unknown>>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: headers(init.body !== undefined ? { "content-type": "application/json" } : {}),
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { message: text };
  }
  if (!response.ok) {
    const e = json as { error?: string; message?: string };
    throw new ApiError(response.status, e.error ?? "error", e.message ?? response.statusText);
  }
  return json as T;
}

/** Query string from the defined values. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

const images = new Map<string, Promise<string | undefined>>();

/**
 * Fetches the screenshots the rendered SVGs use (with the key: an <img> could not send it) and defines each
 * once in the page, where every <use> of it shows it.
 */
export function loadShots(root: ParentNode) {
  const defs = document.getElementById("shot-defs");
  if (!defs) return;
  for (const svg of root.querySelectorAll<SVGSVGElement>("svg[data-shot]")) {
    const hash = svg.dataset.shot!;
    const src = svg.dataset.src;
    if (!src || document.getElementById(`shot-${hash}`)) continue;
    const { width, height } = svg.dataset;
    const image = document.createElementNS("http://www.w3.org/2000/svg", "image");
    image.id = `shot-${hash}`;
    image.setAttribute("width", width ?? "0");
    image.setAttribute("height", height ?? "0");
    image.setAttribute("preserveAspectRatio", "none");
    defs.appendChild(image);
    let url = images.get(hash);
    if (!url) {
      url = fetch(src, { headers: headers() })
        .then(async (r) => (r.ok ? URL.createObjectURL(await r.blob()) : undefined))
        .catch(() => undefined);
      images.set(hash, url);
    }
    void url.then((u) => {
      if (u) image.setAttribute("href", u);
    });
  }
}

export interface LogEvent {
  globalPosition: number;
  streamId: string;
  type: string;
  streamVersion: number;
  data: Record<string, unknown>;
  recordedAt: string;
}

/**
 * The log live, from a position, over the API's server-sent events (read with fetch, which can send the
 * key; EventSource cannot). Reconnects with Last-Event-ID after a drop.
 */
export function followLog(from: number, onEvent: (e: LogEvent) => void, onState: (live: boolean) => void) {
  let last = from;
  let stopped = false;
  let controller: AbortController | undefined;
  const connect = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(`/api/events/stream?from=${last}`, {
          headers: headers({ "last-event-id": String(last) }),
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const blocks = buffer.split("\n\n");
          buffer = blocks.pop() ?? "";
          for (const block of blocks) {
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!data) continue;
            const event = JSON.parse(data) as LogEvent;
            last = event.globalPosition;
            onEvent(event);
          }
        }
      } catch {
        // A drop or a refusal: say so, wait, and try again from the last event seen.
      }
      onState(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void connect();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
