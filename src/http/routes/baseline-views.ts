import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { type BaselineEvent, baselineStreamId } from "../../domain/drift/baseline.js";
import { pngShot } from "../../projections/run-timeline.js";
import { listBaselines } from "../../projections/visual-baselines.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";

const BaselineParams = z.object({
  id: z.uuid("must be a baseline id (a UUID)").describe("the baseline's id, as GET /api/baselines lists it"),
});

/** One baseline for a reviewer: its captures, approvals and drift checks, each with its screenshots. */
export function registerBaselineViewRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, blobs, runner } = ctx;
  const eventsOf = async (id: string) => {
    const events = await store.readStream(baselineStreamId(id));
    if (events.length === 0)
      throw new HttpError(404, "no_baseline", `no baseline ${id}; GET /api/baselines lists them`);
    return events;
  };

  routes.add(app, {
    method: "GET",
    url: "/api/baselines/:id",
    role: "viewer",
    tag: "drift",
    summary:
      "A baseline's history: each capture (screenshot and its size in CSS pixels, regions), approvals, and every drift check against it with the baseline screenshot it was compared with, the screenshot then, the changed regions and the structural changes.",
    params: BaselineParams,
    handler: async ({ params }) => {
      const events = await eventsOf(params.id);
      await runner.catchUp();
      const row = (await listBaselines(store.db)).find((b) => b.baseline_id === params.id) ?? null;
      const url = (hash: string) => `/api/baselines/${params.id}/artifacts/${hash}`;
      const read = (hash: string) => blobs.get(hash).catch(() => undefined);
      const captures = [];
      const approvals = [];
      const detections = [];
      let current: { hash: string; width: number; height: number; url: string } | undefined;
      for (const e of events as (BaselineEvent & { recordedAt: Date })[]) {
        const at = e.recordedAt.toISOString();
        if (e.type === "BaselineCaptured") {
          const d = e.data;
          current = { hash: d.screenshot_hash, ...d.viewport, url: url(d.screenshot_hash) };
          captures.push({ at, url: d.url, run_id: d.run_id ?? null, shot: current, regions: d.regions });
        } else if (e.type === "BaselineApproved") {
          approvals.push({ at, ...e.data });
        } else {
          const d = e.data;
          detections.push({
            ...d,
            at,
            baseline_shot: current ?? null,
            current_shot: await pngShot(d.current_screenshot_hash ?? null, read, url),
          });
        }
      }
      return { baseline: row, captures, approvals, detections: detections.reverse() };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/baselines/:id/artifacts/:hash",
    role: "viewer",
    tag: "drift",
    summary:
      "A screenshot the baseline's stream recorded (a capture, or the page at a drift check), by content hash.",
    params: BaselineParams.extend({
      hash: z
        .string()
        .regex(/^[a-f0-9]{64}$/, "must be a sha256 hex hash")
        .describe("the screenshot's sha256, as the baseline's captures and checks name it"),
    }),
    produces: ["image/png"],
    handler: async ({ params }, _request, reply) => {
      const events = await eventsOf(params.id);
      // Only what this baseline recorded, as for a run's artifacts.
      if (!JSON.stringify(events.map((e) => e.data)).includes(params.hash))
        throw new HttpError(404, "no_artifact", `baseline ${params.id} recorded no artifact ${params.hash}`);
      const bytes = await blobs.get(params.hash);
      const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      return reply.type(png ? "image/png" : "application/json").send(bytes);
    },
  });
}
