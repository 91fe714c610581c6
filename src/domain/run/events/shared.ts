import { z } from "zod";

export const index = z.number().int().nonnegative();
export const stepId = z.string().min(1);
export const phase = z.enum(["setup", "test", "teardown"]);
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
export { ElementRole as role } from "../../locators/locators.js";
export const driver = z.enum(["playwright", "webdriverio"]);

/**
 * When the event happened. The command brings the time and decide writes it here, so the state a process
 * keeps after an append is what folding the log gives, to the millisecond.
 */
export const at = z.iso.datetime();

/** Events recorded before they carried their time take the time the store recorded them. */
export const atFromEnvelope = (data: unknown, context: { recordedAt: Date }) => ({
  ...(data as object),
  at: context.recordedAt.toISOString(),
});

/** The plan and its steps are recorded in the shape they were validated in: one declaration of each. */
export { TestPlan as StoredPlan, TestStep as StoredStep } from "../../plan/model.js";
