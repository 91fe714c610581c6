import Fastify, { type FastifyInstance } from "fastify";

/** One scripted reply: model text, or an HTTP failure, optionally late. */
export interface Reply {
  content?: string;
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface ModelRequestSeen {
  operation: string;
  prompt: string;
  images: number;
  repair: boolean;
  body: Record<string, unknown>;
}

/** Answers by operation (the adapter names it in its system text: "Task: find_element"); `queue` goes first. */
export type Script = (request: ModelRequestSeen) => Reply;

const operationOf = (system: string) => /Task: (\w+)/.exec(system)?.[1] ?? "unknown";

export interface ModelServer {
  url: string;
  requests: ModelRequestSeen[];
  /** Replies used before the script, in order (to inject 429s, timeouts, malformed answers). */
  queue: Reply[];
  script: Script;
  close: () => Promise<void>;
}

async function serve(
  register: (
    app: FastifyInstance,
    answer: (seen: ModelRequestSeen) => Promise<Reply>,
    server: ModelServer,
  ) => void,
  path: string,
  script: Script,
): Promise<ModelServer> {
  const app = Fastify();
  const server: ModelServer = { url: "", requests: [], queue: [], script, close: () => app.close() };
  const answer = async (seen: ModelRequestSeen) => {
    server.requests.push(seen);
    const reply = server.queue.shift() ?? server.script(seen);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    return reply;
  };
  register(app, answer, server);
  await app.listen({ host: "127.0.0.1", port: 0 });
  server.url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}${path}`;
  return server;
}

/** Speaks OpenAI's chat completions and models API, as vLLM and other compatible servers do. */
export function startOpenAICompatible(script: Script): Promise<ModelServer> {
  return serve(
    (app, answer) => {
      app.get("/v1/models/:model", async (request) => ({
        id: (request.params as { model: string }).model,
        object: "model",
        created: 0,
        owned_by: "test",
      }));
      app.post("/v1/chat/completions", async (request, reply) => {
        const body = request.body as {
          model: string;
          messages: { role: string; content: string | { type: string; text?: string }[] }[];
        };
        const user = body.messages.find((m) => m.role === "user")!;
        const parts = Array.isArray(user.content) ? user.content : [{ type: "text", text: user.content }];
        const r = await answer({
          operation: operationOf(String(body.messages[0]!.content)),
          prompt: parts.find((p) => p.type === "text")?.text ?? "",
          images: parts.filter((p) => p.type === "image_url").length,
          repair: body.messages.length > 2,
          body,
        });
        if (r.status && r.status !== 200)
          return reply
            .code(r.status)
            .headers(r.headers ?? {})
            .send({ error: { message: r.content ?? `scripted ${r.status}`, type: "server_error" } });
        return {
          id: "chatcmpl-1",
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: r.content } }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        };
      });
    },
    "/v1",
    script,
  );
}

/** Speaks Ollama's chat, show and embed API. */
export function startOllamaCompatible(
  script: Script,
  embedding?: (input: string) => number[],
): Promise<ModelServer> {
  return serve(
    (app, answer) => {
      app.post("/api/show", async (request, reply) => {
        const { model } = request.body as { model: string };
        if (model === "missing") return reply.code(404).send({ error: `model '${model}' not found` });
        return { modelfile: "", parameters: "", template: "", details: { family: "llava" } };
      });
      app.post("/api/embed", async (request) => {
        const body = request.body as { model: string; input: string | string[] };
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        return { model: body.model, embeddings: inputs.map((i) => embedding?.(i) ?? []) };
      });
      app.post("/api/chat", async (request, reply) => {
        const body = request.body as {
          model: string;
          messages: { role: string; content: string; images?: string[] }[];
        };
        const user = body.messages.find((m) => m.role === "user")!;
        const r = await answer({
          operation: operationOf(body.messages[0]!.content),
          prompt: user.content,
          images: user.images?.length ?? 0,
          repair: body.messages.length > 2,
          body,
        });
        if (r.status && r.status !== 200)
          return reply
            .code(r.status)
            .headers(r.headers ?? {})
            .send({ error: r.content ?? `scripted ${r.status}` });
        return {
          model: body.model,
          created_at: new Date().toISOString(),
          message: { role: "assistant", content: r.content },
          done: true,
          done_reason: "stop",
        };
      });
    },
    "",
    script,
  );
}
