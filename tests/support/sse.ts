export type Sse = { id: string; event: string; data: string };

function parseBlock(block: string): Sse {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(block)?.[1] ?? "";
  return { id: field("id"), event: field("event"), data: field("data") };
}

/**
 * Reads a server-sent event stream until `until` says stop (checked after each event), then leaves it.
 * Comment blocks (": keep-alive") carry no event.
 */
export async function readSse(
  url: string,
  until: (events: Sse[]) => boolean,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string | null; events: Sse[] }> {
  const res = await fetch(url, { headers });
  const events: Sse[] = [];
  if (!res.ok || !res.body)
    return { status: res.status, contentType: res.headers.get("content-type"), events };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split("\n\n");
    buffer = blocks.pop()!;
    for (const block of blocks) {
      if (!block.startsWith(":")) events.push(parseBlock(block));
      if (until(events)) break;
    }
  }
  await reader.cancel();
  return { status: res.status, contentType: res.headers.get("content-type"), events };
}
