import { createHash } from "node:crypto";
import { z } from "zod";
import { defineEvent } from "../events/registry.js";
import type { DriftDetected } from "../run/events.js";

/**
 * A visual baseline (spec VisualBaseline): how a page looked at an application version, and whether a person
 * approved it as the reference. One stream per page and version, `baseline-<id>`; capturing again replaces
 * the reference and needs a new approval. Drift checks against it are recorded on the same stream.
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Box = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().positive(),
  height: z.number().positive(),
});

/** A region of a screenshot given by a caller (an area to ignore): on the image, with a size. */
export const ScreenRegion = z.object({
  x: z.number().min(0),
  y: z.number().min(0),
  width: z.number().positive(),
  height: z.number().positive(),
});

export const BaselineCaptured = defineEvent({
  type: "BaselineCaptured",
  version: 1,
  schema: z.object({
    baseline_id: z.string().uuid(),
    page_identifier: z.string().min(1),
    application_version: z.string().min(1),
    url: z.string(),
    screenshot_hash: sha256,
    /** The accessibility nodes (role, name, box) as JSON in the blob store, for the structure diff. */
    structure_hash: sha256,
    dom_hash: z.string(),
    viewport: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
    embedding_model: z.string(),
    visual_embedding: z.array(z.number()),
    /** Named regions (spec: key UI regions); `ignore` ones are left out of pixel comparison (clocks, ads). */
    regions: z.array(z.object({ name: z.string().min(1), bounding_box: Box, ignore: z.boolean() })),
    run_id: z.string().uuid().optional(),
  }),
});

export const BaselineApproved = defineEvent({
  type: "BaselineApproved",
  version: 1,
  schema: z.object({
    baseline_id: z.string().uuid(),
    approved_by: z.string().min(1),
    screenshot_hash: sha256,
    note: z.string().optional(),
  }),
});

export const BASELINE_EVENTS = [BaselineCaptured, BaselineApproved] as const;

type Captured = z.infer<typeof BaselineCaptured.schema>;
export type BaselineEvent =
  | { type: "BaselineCaptured"; data: Captured }
  | { type: "BaselineApproved"; data: z.infer<typeof BaselineApproved.schema> }
  | { type: "DriftDetected"; data: z.infer<typeof DriftDetected.schema> };

export interface BaselineState {
  version: number;
  current?: Captured;
  status: "none" | "captured" | "approved";
  approvedBy?: string;
  detections: number;
  lastSeverity?: string;
}

export type BaselineCommand =
  | { type: "CaptureBaseline"; data: Captured }
  | { type: "ApproveBaseline"; approved_by: string; note?: string; expected_screenshot?: string }
  | { type: "RecordDrift"; data: z.infer<typeof DriftDetected.schema> };

export class BaselineRefused extends Error {
  override readonly name = "BaselineRefused";
}

/** The same page and version always map to the same baseline (spec: UNIQUE(page_identifier, application_version)). */
export function baselineIdOf(page: string, version: string): string {
  const h = createHash("sha256").update(`${page}\u0000${version}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
export const baselineStreamId = (baselineId: string) => `baseline-${baselineId}`;

export const initialBaseline = (): BaselineState => ({ version: 0, status: "none", detections: 0 });

export function evolveBaseline(state: BaselineState, event: BaselineEvent): BaselineState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case "BaselineCaptured":
      return { ...next, current: event.data, status: "captured", approvedBy: undefined };
    case "BaselineApproved":
      return { ...next, status: "approved", approvedBy: event.data.approved_by };
    case "DriftDetected":
      return { ...next, detections: state.detections + 1, lastSeverity: event.data.severity };
  }
}

export function decideBaseline(command: BaselineCommand, state: BaselineState): BaselineEvent[] {
  switch (command.type) {
    case "CaptureBaseline":
      if (state.current && state.current.baseline_id !== command.data.baseline_id)
        throw new BaselineRefused("baseline_id does not belong to this stream");
      return [{ type: "BaselineCaptured", data: command.data }];
    case "ApproveBaseline": {
      if (!state.current) throw new BaselineRefused("there is no captured baseline to approve");
      if (state.status === "approved")
        throw new BaselineRefused(`already approved by ${state.approvedBy}; capture again to replace it`);
      // Approving what one looked at: a capture that replaced it in the meantime is not approved unseen.
      if (command.expected_screenshot && command.expected_screenshot !== state.current.screenshot_hash)
        throw new BaselineRefused(
          "the baseline was captured again since you looked at it; review the new capture",
        );
      return [
        {
          type: "BaselineApproved",
          data: {
            baseline_id: state.current.baseline_id,
            approved_by: command.approved_by,
            screenshot_hash: state.current.screenshot_hash,
            ...(command.note ? { note: command.note } : {}),
          },
        },
      ];
    }
    case "RecordDrift":
      if (state.status !== "approved")
        throw new BaselineRefused(
          state.status === "none"
            ? "no baseline has been captured for this page and version"
            : "the baseline is captured but not approved; approve it before checking drift against it",
        );
      return [{ type: "DriftDetected", data: command.data }];
  }
}

export const baselineAggregate = {
  initial: initialBaseline,
  evolve: evolveBaseline,
  decide: decideBaseline,
  versionOf: (s: BaselineState) => s.version,
};
