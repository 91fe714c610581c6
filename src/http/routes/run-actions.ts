import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { ResumeSecretsError } from "../../engine/resume/secrets.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";
import { ACTION_EXAMPLES } from "./examples.js";
import { Accepted, RunSummary } from "./response-schemas.js";
import { ActionBody, links, queueView, ResumeBody, RunParams, runSummary } from "./run-schemas.js";

const ENDED = new Set<string>(["passed", "failed", "error", "stopped"]);

/** Resumes with the body's secrets; wrong or missing ones are a 400 naming the keys (never the values). */
async function resumeRun(engine: AppContext["engine"], runId: string, body: z.infer<typeof ActionBody>) {
  const secrets = "secrets" in body ? (body as z.infer<typeof ResumeBody>).secrets : undefined;
  try {
    return await engine.beginResume(runId, { secrets });
  } catch (error) {
    if (error instanceof ResumeSecretsError)
      throw new HttpError(
        400,
        error.kind === "invalid" ? "invalid_secrets" : "secrets_missing",
        error.message,
        error.problems,
      );
    throw error;
  }
}

/**
 * Requests on a run (stop, resume, heal) and the work queue. Any replica takes them: a stop reaches the
 * worker holding the run's lease through the queue; a resume or heal is claimed here first (refused while
 * another worker holds the run), or queued for the workers where this server runs none.
 */
export function registerRunActions(
  app: FastifyInstance,
  ctx: AppContext,
  load: (id: string) => Promise<RunDetails>,
  background: (runId: string, done: Promise<unknown>) => void,
) {
  const { routes, engine } = ctx;
  for (const [action, summary] of [
    [
      "stop",
      "Stop a run after its current step, saving its state so it can be resumed; a run still queued leaves the queue. Whichever replica receives it, the worker holding the run carries it out.",
    ],
    ["resume", "Continue a stopped run, or one whose process died, from its last snapshot."],
    ["heal", "Re-run a failed run from its first failed step, healing locators that no longer match."],
  ] as const) {
    routes.add(app, {
      method: "POST",
      url: `/api/runs/:id/${action}`,
      role: "runner",
      tag: "runs",
      summary,
      params: RunParams,
      body: action === "resume" ? ResumeBody : ActionBody,
      examples: ACTION_EXAMPLES,
      responses: {
        202: { description: "accepted: carried out in the background", schema: Accepted },
        200: { description: "with wait: true, the run's summary once done", schema: RunSummary },
      },
      handler: async ({ params, body }, _request, reply) => {
        const run = await load(params.id);
        let done: Promise<RunDetails>;
        if (action === "stop") {
          done = engine.stop(params.id, { reason: body.reason });
          // A run that has ended is refused by the log at once: that refusal is the answer, not a 202.
          if (ENDED.has(run.status)) await done;
        } else if (action === "resume") done = (await resumeRun(engine, params.id, body)).done;
        else done = (await engine.beginHeal(params.id)).done;
        if (body.wait) return runSummary(await done);
        background(params.id, done);
        return reply.status(202).send({ run_id: params.id, accepted: action, links: links(params.id) });
      },
    });
  }

  routes.add(app, {
    method: "GET",
    url: "/api/queue",
    role: "viewer",
    tag: "runs",
    summary:
      "The work queue: runs waiting for a worker (queued) and runs a worker holds (claimed), oldest first; what the KEDA scaler counts.",
    handler: async () => {
      const leases = engine.leases;
      if (!leases) return { runs: [], depth: 0 };
      const entries = await leases.queue.pending(500);
      return {
        runs: entries.map((e) => ({ run_id: e.run_id, ...queueView(e) })),
        depth: entries.length,
        queued: entries.filter((e) => e.status === "queued").length,
      };
    },
  });
}
