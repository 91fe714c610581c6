import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.js";

const From = z.coerce.number().int().min(0, "must be a log position, 0 or more").default(0);

export function registerEventRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/events",
    role: "viewer",
    tag: "events",
    summary: "The global log after a position, a page at a time; pass next_from to read on.",
    query: z.object({ from: From, limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    handler: async ({ query }) => {
      const page = await store.readAll({ after: query.from, limit: query.limit });
      return { events: page.events, next_from: page.nextAfter };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/events/stream",
    role: "viewer",
    tag: "events",
    summary:
      "Server-sent events: the log from a position, then live. Each event's id is its position, so a reconnect with Last-Event-ID resumes.",
    query: z.object({ from: From }),
    produces: ["text/event-stream"],
    handler: async ({ query }, request, reply) => {
      const lastId = request.headers["last-event-id"];
      const after = typeof lastId === "string" && /^\d+$/.test(lastId) ? Number(lastId) : query.from;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write(": connected\n\n");
      const subscription = store.subscribe({
        after,
        handler: (event) => {
          res.write(`id: ${event.globalPosition}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        },
      });
      // Comments keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
      const close = () => {
        clearInterval(heartbeat);
        void subscription.stop();
      };
      request.raw.on("close", close);
      subscription.done.catch((error) => {
        ctx.logger?.warn({ err: error }, "event stream ended");
        close();
        res.end();
      });
    },
  });
}
