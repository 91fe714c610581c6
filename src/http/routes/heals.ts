import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../server.js";

export function registerHealRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, engine } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/heals",
    role: "viewer",
    tag: "healing",
    summary: "The healing review queue: heals proposed or waiting for manual review, and their verdicts.",
    query: z.object({
      review: z.enum(["pending", "approved", "rejected"]).optional(),
      run_id: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    handler: async ({ query }) => {
      const { rows } = await store.db.query(
        `SELECT * FROM td_heal_queue WHERE ($1::text IS NULL OR review = $1) AND ($2::uuid IS NULL OR run_id = $2)
          ORDER BY created_at DESC LIMIT $3`,
        [query.review ?? null, query.run_id ?? null, query.limit],
      );
      return { heals: rows };
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/runs/:id/heals/:healing_id/review",
    role: "runner",
    tag: "healing",
    summary: "Approve a heal (its locator becomes the learned one) or reject it (never proposed again).",
    params: z.object({
      id: z.uuid("must be a run id (a UUID)"),
      healing_id: z.uuid("must be a healing id (a UUID)"),
    }),
    body: z.object({ approved: z.boolean(), note: z.string().min(1).optional() }).strict(),
    handler: async ({ params, body }, request) => {
      const state = await engine.review(params.id, params.healing_id, {
        approved: body.approved,
        reviewer: request.caller?.name ?? "api",
        note: body.note,
      });
      return { healing_id: params.healing_id, review: state.healings[params.healing_id]?.review ?? null };
    },
  });
}
