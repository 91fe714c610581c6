import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { allSteps, type TestPlan } from "../../domain/plan/model.js";
import { latestPlan, recordedPlans } from "../../projections/run-report/plans.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../route.js";

export type { BundledPlan } from "../context.js";

const secretSteps = (plan: TestPlan | null) =>
  plan
    ? allSteps(plan)
        .filter(({ step }) => step.action === "type" && step.params.secret === true)
        .map(({ step }) => ({ step_id: step.step_id, description: step.description }))
    : [];

// A locator key is `${step_id}#${role}`; roles hold no "#".
const splitKey = (key: string) => ({
  step_id: key.slice(0, key.lastIndexOf("#")),
  role: key.slice(key.lastIndexOf("#") + 1),
});

/** The plans this service knows: those of recorded runs, and the bundled ones; a plan's learned locators. */
export function registerPlanRoutes(app: FastifyInstance, ctx: AppContext) {
  const { routes, store, engine, runner } = ctx;

  routes.add(app, {
    method: "GET",
    url: "/api/plans",
    role: "viewer",
    tag: "plans",
    summary:
      "Plans to start runs from: each plan of the recorded runs (its latest version, the applications and versions it ran against, its secret steps, whose values a new run needs) and the bundled plans with their text (`testdriver serve --demo`).",
    handler: async () => {
      await runner.catchUp();
      const latest = await recordedPlans(store.db);
      const bundled = ctx.bundledPlans ?? [];
      const recorded = latest.map((r) => {
        const plan = r.plan;
        const own = bundled.find((b) => b.plan_id === r.plan_id);
        return {
          plan_id: r.plan_id,
          name: plan?.name ?? r.plan_id,
          plan_version: plan?.plan_version ?? null,
          steps: plan ? allSteps(plan).length : 0,
          runs: r.runs,
          last_run: r.last_run,
          applications: [...(own?.applications ?? []), ...r.applications],
          secret_steps: own ? [] : secretSteps(plan),
          bundled: own !== undefined,
          ...(own ? { text: own.text } : {}),
        };
      });
      const unrecorded = bundled
        .filter((b) => !latest.some((r) => r.plan_id === b.plan_id))
        .map((b) => ({
          plan_id: b.plan_id,
          name: b.name,
          plan_version: null,
          steps: null,
          runs: 0,
          last_run: null,
          applications: b.applications,
          secret_steps: [],
          bundled: true,
          text: b.text,
        }));
      return { plans: [...unrecorded, ...recorded] };
    },
  });

  routes.add(app, {
    method: "GET",
    url: "/api/plans/:plan_id",
    role: "viewer",
    tag: "plans",
    summary:
      "A plan as its latest run recorded it (secret values masked; a bundled plan's public ones given as value), and what it learned: the locator each step's element is found by now (located, healed, or approved by a person) and the heal candidates people rejected.",
    params: z.object({ plan_id: z.string().min(1).describe("the plan's id, as GET /api/plans lists it") }),
    handler: async ({ params }) => {
      await runner.catchUp();
      const plan = await latestPlan(store.db, params.plan_id);
      if (!plan)
        throw new HttpError(404, "no_plan", `no run of plan ${params.plan_id}; GET /api/plans lists plans`);
      const locators = await engine.commands.planLocators(params.plan_id);
      const bundled = ctx.bundledPlans?.find((b) => b.plan_id === params.plan_id);
      return {
        plan,
        secret_steps: secretSteps(plan).map((s) => ({
          ...s,
          ...(bundled?.secrets[s.step_id] ? { value: bundled.secrets[s.step_id] } : {}),
        })),
        learned: Object.entries(locators.learned).map(([key, l]) => ({
          ...splitKey(key),
          locator: l.locator.selector,
          source: l.source,
          run_id: l.run_id,
        })),
        rejected: Object.entries(locators.rejected).map(([key, signatures]) => ({
          ...splitKey(key),
          candidates: signatures.length,
        })),
      };
    },
  });
}
