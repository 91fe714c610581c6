import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { runStreamId } from "../../domain/run/events.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";
import { lastEventId, streamEvents } from "../sse.js";
import { LogPage } from "./response-schemas.js";
import { RunParams } from "./run-schemas.js";

const From = z.coerce
  .number()
  .int()
  .min(0, "must be a log position, 0 or more")
  .default(0)
  .describe("a global log position: events after it (0: from the start)");

export function registerEventRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/events",
    role: "viewer",
    tag: "events",
    summary: "The global log after a position, a page at a time; pass next_from to read on.",
    query: z.object({
      from: From,
      limit: z.coerce.number().int().min(1).max(1000).default(200).describe("at most this many events"),
    }),
    responses: { 200: { description: "a page of the log", schema: LogPage } },
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
      "Server-sent events: the whole log (every run, baseline and adapter) from a position, then live. Each event's id is its log position, so a reconnect with Last-Event-ID resumes. For one run, GET /api/runs/{id}/events/stream.",
    query: z.object({ from: From }),
    produces: ["text/event-stream"],
    responses: {
      200: { description: "an endless text/event-stream: id, event (its type), data (the event)" },
    },
    handler: async ({ query }, request, reply) => {
      const after = lastEventId(request) ?? query.from;
      streamEvents(
        request,
        reply,
        (event) => event.globalPosition,
        (write) => store.subscribe({ after, handler: write }),
        ctx.logger,
      );
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/runs/:id/events/stream",
    role: "viewer",
    tag: "events",
    summary:
      "Server-sent events of one run: its events from a stream version, then live as it proceeds (a heal or resume later adds more). Each event's id is its stream version, so a reconnect with Last-Event-ID resumes after it.",
    params: RunParams,
    query: z.object({
      from_version: z.coerce
        .number()
        .int()
        .min(1, "must be a stream version, 1 or more")
        .default(1)
        .describe("the first stream version to send (1: from the run's first event)"),
    }),
    produces: ["text/event-stream"],
    responses: {
      200: { description: "an endless text/event-stream: id (stream version), event (its type), data" },
    },
    handler: async ({ params, query }, request, reply) => {
      const streamId = runStreamId(params.id);
      const resumed = lastEventId(request);
      const fromVersion = resumed !== undefined ? resumed + 1 : query.from_version;
      const after = await positionBefore(streamId, fromVersion);
      if (after === undefined)
        throw new HttpError(404, "no_run", `no run ${params.id}; GET /api/runs lists runs`);
      streamEvents(
        request,
        reply,
        (event) => event.streamVersion,
        (write) =>
          store.subscribe({
            after,
            handler: (event) => {
              if (event.streamId === streamId && event.streamVersion >= fromVersion) write(event);
            },
          }),
        ctx.logger,
      );
    },
  });

  /**
   * The log position to follow the log from so that the stream's events from `fromVersion` on all come, and
   * the log before the run is not read again; undefined when the stream has no events.
   */
  async function positionBefore(streamId: string, fromVersion: number): Promise<number | undefined> {
    const [last] = await store.readStream(streamId, { direction: "backwards", limit: 1 });
    if (!last) return undefined;
    if (fromVersion > last.streamVersion) return last.globalPosition;
    const [first] = await store.readStream(streamId, { fromVersion: Math.max(1, fromVersion - 1), limit: 1 });
    return fromVersion === 1 ? first!.globalPosition - 1 : first!.globalPosition;
  }
}
