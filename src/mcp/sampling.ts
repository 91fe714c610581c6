import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { SamplingMessage } from "@modelcontextprotocol/sdk/types.js";

/** What the client's model said it was, last time it answered. */
export interface Seen {
  model?: string;
}

// Sampling has no structured-output switch: the schema travels in the system prompt.
export const withSchema = (system: string, schema: Record<string, unknown>) =>
  `${system}\nAnswer with one JSON value only (no prose, no code fence), valid against this JSON Schema:\n${JSON.stringify(schema)}`;

/** Asks the client for one message and returns its text; an answer that is not text is no answer. */
export async function sample(
  server: Server,
  system: string,
  messages: SamplingMessage[],
  maxTokens: number,
  seen: Seen,
  signal?: AbortSignal,
): Promise<string> {
  const reply = await server.createMessage(
    { systemPrompt: system, messages, maxTokens, temperature: 0, includeContext: "none" },
    { signal, timeout: 120_000 },
  );
  seen.model = reply.model;
  if (reply.content.type !== "text")
    throw new Error(`the client's model answered with ${reply.content.type}, not text`);
  return reply.content.text;
}

export const text = (role: "user" | "assistant", value: string): SamplingMessage => ({
  role,
  content: { type: "text", text: value },
});
