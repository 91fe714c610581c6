import type { FastifyReply, FastifyRequest } from "fastify";
import type { RecordedEvent } from "../domain/events/envelope.js";
import type { Subscription } from "../domain/events/store.js";
import type { Logger } from "../ports/logger.js";

/** The id a client sent back on reconnecting (Last-Event-ID), when it is a whole number. */
export function lastEventId(request: FastifyRequest): number | undefined {
  const id = request.headers["last-event-id"];
  return typeof id === "string" && /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

/**
 * Answers with a server-sent event stream fed by `subscribe`: each event written with the id `idOf` gives
 * it, so a reconnect with Last-Event-ID resumes after it. Ends the subscription when the client leaves.
 */
export function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  idOf: (event: RecordedEvent) => number,
  subscribe: (write: (event: RecordedEvent) => void) => Subscription,
  logger?: Logger,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.write(": connected\n\n");
  const subscription = subscribe((event) => {
    res.write(`id: ${idOf(event)}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  // Comments keep proxies from closing an idle stream.
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  const close = () => {
    clearInterval(heartbeat);
    void subscription.stop();
  };
  request.raw.on("close", close);
  subscription.done.catch((error) => {
    logger?.warn({ err: error }, "event stream ended");
    close();
    res.end();
  });
}
