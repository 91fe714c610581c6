import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** What an agent paid in one flow: its calls and what it read, in tokens (text ÷ 4, images by their size). */
export class Reading {
  calls = 0;
  textChars = 0;
  imageTokens = 0;
  /** structuredContent is not counted as read (clients show a model the content); kept to show its size. */
  structuredChars = 0;

  /** A tool result the agent reads. */
  result(r: CallToolResult): void {
    this.calls++;
    for (const c of r.content) {
      if (c.type === "text") this.textChars += c.text.length;
      else if (c.type === "image") this.imageTokens += imageTokens(c.data);
      else this.textChars += JSON.stringify(c).length;
    }
    if (r.structuredContent) this.structuredChars += JSON.stringify(r.structuredContent).length;
  }

  /** A file the agent opens with its own client's read tool (Playwright MCP links snapshots as files). */
  file(text: string): void {
    this.calls++;
    this.textChars += text.length;
  }

  get tokens(): number {
    return Math.ceil(this.textChars / 4) + this.imageTokens;
  }
}

/** Tokens a vision model spends on a PNG: width × height ÷ 750 (Anthropic's published estimate). */
function imageTokens(base64: string): number {
  const head = Buffer.from(base64.slice(0, 64), "base64");
  if (head.length < 24 || head.toString("ascii", 1, 4) !== "PNG") return 1_600; // the published cap
  return Math.ceil((head.readUInt32BE(16) * head.readUInt32BE(20)) / 750);
}

export const textOf = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
