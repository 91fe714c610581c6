import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { listHealQueue } from "../../projections/heal-queue.js";
import { HealReviews } from "../../projections/heal-review.js";
import type { AppContext } from "../context.js";
import { REVIEW_EXAMPLES } from "./examples.js";
import { HealList, HealReviewed } from "./response-schemas.js";

export function registerHealRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, engine, blobs } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/heals",
    role: "viewer",
    tag: "healing",
    summary:
      "The healing review queue across runs: heals proposed or waiting for manual review, and their verdicts. With details=true each carries what a reviewer needs: the element as learned and as found now, each on its screenshot with its box, the page after, the evidence that scored it, and the locator the plan uses now.",
    query: z.object({
      review: z
        .enum(["pending", "approved", "rejected"])
        .optional()
        .describe("only heals awaiting a verdict (pending), or approved, or rejected; all when absent"),
      run_id: z.uuid("must be a run id (a UUID)").optional().describe("only the heals of this run"),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(500)
        .default(100)
        .describe("at most this many heals, newest first"),
      details: z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true")
        .describe("true: each heal with what a reviewer needs (screenshots, boxes, evidence)"),
    }),
    responses: { 200: { description: "the heals, newest first", schema: HealList } },
    handler: async ({ query }) => {
      await ctx.runner.catchUp();
      const rows = await listHealQueue(store.db, query);
      if (!query.details) return { heals: rows };
      const reviews = new HealReviews(store, (hash) => blobs.get(hash).catch(() => undefined));
      return {
        heals: await Promise.all(
          rows.map(async (row) => ({ ...row, details: await reviews.details(row.run_id, row.healing_id) })),
        ),
      };
    },
  });

  routes.add(app, {
    method: "POST",
    url: "/api/runs/:id/heals/:healing_id/review",
    role: "admin",
    tag: "healing",
    summary:
      "A person's verdict on a heal, recorded as a HealingReviewed event: approval makes its locator the learned one, rejection means that element is never proposed again for the step.",
    params: z.object({
      id: z.uuid("must be a run id (a UUID)").describe("the run that healed"),
      healing_id: z.uuid("must be a healing id (a UUID)").describe("the heal, as GET /api/heals lists it"),
    }),
    body: z
      .object({
        approved: z.boolean().describe("true approves the heal, false rejects it"),
        note: z.string().min(1).optional().describe("why, for the record"),
      })
      .strict(),
    examples: REVIEW_EXAMPLES,
    responses: { 200: { description: "the verdict as recorded", schema: HealReviewed } },
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
