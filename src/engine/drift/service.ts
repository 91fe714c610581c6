import { createHash, randomUUID } from "node:crypto";
import { CommandHandler } from "../../commands/handler.js";
import {
  type BaselineCommand,
  type BaselineEvent,
  type BaselineState,
  baselineAggregate,
  baselineIdOf,
  baselineStreamId,
} from "../../domain/drift/baseline.js";
import type { DriftThresholds } from "../../domain/drift/classify.js";
import type { StructureNode } from "../../domain/drift/dom-diff.js";
import type { EventStore } from "../../domain/events/store.js";
import type { DriftDetected } from "../../domain/run/events.js";
import { pngSize } from "../../domain/vision/image.js";
import type { BoundingBox, Screen, VisionAdapter } from "../../domain/vision/model.js";
import type { BlobStore } from "../../ports/blobs.js";
import type { DriverKind, SessionPool } from "../../ports/browser.js";
import { captureScreen } from "../screen.js";
import { type DriftAnalysis, detectDrift } from "./detect.js";

export interface PageRef {
  url: string;
  page: string;
  version: string;
}

export interface DriftServiceOptions {
  store: EventStore;
  blobs: BlobStore;
  pool: SessionPool;
  vision: VisionAdapter;
  driver?: DriverKind;
  viewport?: { width: number; height: number };
  allowedHosts?: string[];
  thresholds?: DriftThresholds;
  /** Let the vision model describe a detected change (when the adapter is a model); rules describe it otherwise. */
  describeWithModel?: boolean;
  /** When checks happen, for the DriftDetected they record. */
  clock?: () => Date;
}

export type DriftResult = (typeof DriftDetected)["schema"]["_output"];

const structureOf = (screen: Screen): StructureNode[] =>
  (screen.nodes ?? []).map((n) => ({ role: n.role, name: n.name, text: n.text, box: n.box }));

/**
 * Visual baselines and drift checks: capture a page as the reference for its version, approve it, and check
 * the page now against it. Each step is a command on the baseline's stream.
 */
export class DriftService {
  private readonly handler: CommandHandler<BaselineState, BaselineCommand, BaselineEvent>;
  /** Where screenshots and structures are kept (shared with the services that read them back). */
  readonly blobs: BlobStore;

  constructor(private readonly options: DriftServiceOptions) {
    this.blobs = options.blobs;
    this.handler = new CommandHandler(options.store, baselineAggregate);
  }

  /** The page as it is now: the screen given (a run's, captured once for all checks), or the URL opened. */
  private async screenOf(url: string, screen?: Screen): Promise<Screen> {
    if (screen) return screen;
    const opened = await this.options.pool.acquire(this.options.driver ?? "playwright", {
      viewport: this.options.viewport ?? { width: 1280, height: 720 },
      allowedHosts: this.options.allowedHosts,
    });
    try {
      await opened.navigate(url, { waitUntil: "load" });
      return await captureScreen(opened);
    } finally {
      await opened.close();
    }
  }

  async load(baselineId: string): Promise<BaselineState> {
    return this.handler.load(baselineStreamId(baselineId));
  }

  async capture(
    ref: PageRef & {
      regions?: { name: string; bounding_box: BoundingBox; ignore: boolean }[];
      /** Regions to leave out of pixel comparison (clocks, ads), named ignored-1, ignored-2, ... */
      ignore?: BoundingBox[];
      runId?: string;
    },
    given?: Screen,
  ): Promise<{ baseline_id: string; screenshot_hash: string }> {
    const screen = await this.screenOf(ref.url, given);
    const structure = structureOf(screen);
    const structureJson = JSON.stringify(structure);
    const [shot, struct] = await Promise.all([
      this.options.blobs.put(screen.png),
      this.options.blobs.put(structureJson),
    ]);
    const embedding = await this.options.vision.generateEmbedding(screen);
    const { width, height } = pngSize(screen.png);
    const baselineId = baselineIdOf(ref.page, ref.version);
    await this.handler.handle(
      baselineStreamId(baselineId),
      {
        type: "CaptureBaseline",
        data: {
          baseline_id: baselineId,
          page_identifier: ref.page,
          application_version: ref.version,
          url: screen.url ?? ref.url,
          screenshot_hash: shot.hash,
          structure_hash: struct.hash,
          dom_hash: createHash("sha256")
            .update(structure.map((n) => `${n.role}:${n.name}`).join("\n"))
            .digest("hex"),
          viewport: { width, height },
          embedding_model: await this.options.vision.embeddingModel(),
          visual_embedding: [...embedding],
          regions: [
            ...(ref.regions ?? []),
            ...(ref.ignore ?? []).map((r, i) => ({
              name: `ignored-${i + 1}`,
              bounding_box: r,
              ignore: true,
            })),
          ],
          ...(ref.runId ? { run_id: ref.runId } : {}),
        },
      },
      { streamType: "baseline" },
    );
    return { baseline_id: baselineId, screenshot_hash: shot.hash };
  }

  async approve(baselineId: string, approvedBy: string, note?: string, expectedScreenshot?: string) {
    const { state } = await this.handler.handle(
      baselineStreamId(baselineId),
      { type: "ApproveBaseline", approved_by: approvedBy, note, expected_screenshot: expectedScreenshot },
      { streamType: "baseline" },
    );
    return state;
  }

  /** The baseline of a page and version; an error that says to capture one when there is none. */
  private async baselineOf(ref: PageRef): Promise<{ baselineId: string; state: BaselineState }> {
    const baselineId = baselineIdOf(ref.page, ref.version);
    const state = await this.load(baselineId);
    if (!state.current)
      throw new DriftCheckError(
        "page",
        `no baseline for page "${ref.page}" at version "${ref.version}": capture one first`,
      );
    return { baselineId, state };
  }

  /** Analyses the page now against the baseline without recording anything (the bench and dry runs use it). */
  async analyse(
    ref: PageRef,
    screen?: Screen,
  ): Promise<{ analysis: DriftAnalysis; baselineId: string; current: Screen; baseline: Screen }> {
    const { baselineId, state } = await this.baselineOf(ref);
    return { baselineId, ...(await this.analyseAgainst(state, ref, screen)) };
  }

  private async analyseAgainst(state: BaselineState, ref: PageRef, screen?: Screen) {
    const b = state.current!;
    const [png, structure] = await Promise.all([
      this.options.blobs.get(b.screenshot_hash),
      this.options.blobs.get(b.structure_hash),
    ]);
    const baselineNodes = JSON.parse(structure.toString("utf8")) as StructureNode[];
    const baseline: Screen = { png, url: b.url };
    const current = await this.screenOf(ref.url, screen);
    const embedding =
      b.embedding_model === (await this.options.vision.embeddingModel())
        ? await this.options.vision.generateEmbedding(current)
        : [];
    const analysis = detectDrift(
      { png, nodes: baselineNodes, embedding: b.visual_embedding },
      { png: current.png, nodes: structureOf(current), embedding },
      {
        ignoreRegions: b.regions.filter((r) => r.ignore).map((r) => r.bounding_box),
        thresholds: this.options.thresholds,
      },
    );
    return { analysis, current, baseline };
  }

  /** Like check, for pages that may have no approved baseline: those give undefined rather than an error. */
  async checkIfApproved(
    ref: PageRef & { runId?: string },
    screen?: Screen,
  ): Promise<DriftResult | undefined> {
    const state = await this.load(baselineIdOf(ref.page, ref.version));
    if (state.status !== "approved") return undefined;
    return this.check(ref, screen);
  }

  /**
   * Checks the page now against its approved baseline and records the result on the baseline's stream. An
   * unapproved baseline is refused before the page is opened.
   */
  async check(ref: PageRef & { runId?: string }, screen?: Screen): Promise<DriftResult> {
    const { baselineId, state } = await this.baselineOf(ref);
    if (state.status !== "approved")
      throw new DriftCheckError(
        "page",
        `the baseline for "${ref.page}" at "${ref.version}" is not approved yet: approve it (testdriver baseline approve ${baselineId})`,
      );
    const { analysis, current, baseline } = await this.analyseAgainst(state, ref, screen);
    let description = analysis.change_description;
    let describedBy = "rules";
    if (analysis.drift_detected && this.options.describeWithModel) {
      try {
        const compared = await this.options.vision.compareScreens(baseline, current);
        description = `${compared.semantic_changes} (${analysis.change_description})`;
        describedBy = this.options.vision.model;
      } catch {
        // The rules' description stands when the model cannot be asked.
      }
    }
    const shot = await this.options.blobs.put(current.png);
    const data: DriftResult = {
      detection_id: randomUUID(),
      baseline_id: baselineId,
      page: ref.page,
      ...(ref.runId ? { run_id: ref.runId } : {}),
      severity: analysis.severity,
      drift_detected: analysis.drift_detected,
      similarity: analysis.similarity,
      pixel_diff_ratio: analysis.pixel_diff_ratio,
      embedding_distance: analysis.embedding_distance,
      current_screenshot_hash: shot.hash,
      changed_regions: analysis.changed_regions,
      new_elements: analysis.structure.added,
      removed_elements: analysis.structure.removed,
      changed_elements: analysis.structure.changed,
      reasons: analysis.reasons,
      description,
      impact_assessment: analysis.impact_assessment,
      recommended_actions: analysis.recommended_actions,
      described_by: describedBy,
      at: (this.options.clock?.() ?? new Date()).toISOString(),
    };
    await this.handler.handle(
      baselineStreamId(baselineId),
      { type: "RecordDrift", data },
      { streamType: "baseline" },
    );
    return data;
  }
}

export class DriftCheckError extends Error {
  override readonly name = "DriftCheckError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
