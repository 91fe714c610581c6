import Fastify from "fastify";

export interface ScriptedAnswer {
  status?: number;
  content?: string;
  headers?: Record<string, string>;
}

/**
 * A loopback server that speaks OpenAI's chat completions API with scripted answers, in order, and keeps
 * the requests it received: the official client talks to it exactly as to the real service.
 */
export async function startOpenAIServer(answers: ScriptedAnswer[]) {
  const requests: Record<string, unknown>[] = [];
  const app = Fastify();
  app.post("/v1/chat/completions", async (request, reply) => {
    requests.push(request.body as Record<string, unknown>);
    const answer = answers.shift() ?? { status: 500, content: "no more scripted answers" };
    if (answer.status && answer.status !== 200) {
      return reply
        .code(answer.status)
        .headers(answer.headers ?? {})
        .send({ error: { message: answer.content ?? "error", type: "server_error" } });
    }
    return {
      id: `chatcmpl-${requests.length}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: (request.body as { model: string }).model,
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: answer.content } }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return { baseURL: `http://127.0.0.1:${port}/v1`, requests, close: () => app.close() };
}
