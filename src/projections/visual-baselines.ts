import {
  EMBEDDING_DIMENSIONS,
  isEmbedding,
  type VectorColumn,
  vectorColumnOf,
  vectorLiteral,
} from "../adapters/sql/embeddings.js";
import type { BaselineApproved, BaselineCaptured } from "../domain/drift/baseline.js";
import type { RecordedEvent } from "../domain/events/envelope.js";
import type { DriftDetected } from "../domain/run/events.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { Projection } from "./projection.js";

type Captured = (typeof BaselineCaptured)["schema"]["_output"];
type Approved = (typeof BaselineApproved)["schema"]["_output"];
type Detected = (typeof DriftDetected)["schema"]["_output"];

/** Whether td_visual_baselines keeps embeddings as pgvector's vector or as real[] (no pgvector). */
const embeddingColumn = async (db: SqlExecutor) =>
  (await vectorColumnOf(db, "td_visual_baselines", "visual_embedding")) ?? "real[]";

// An embedding of other dimensions (another model) stays in the event only.
const embeddingLiteral = (values: readonly number[], kind: VectorColumn) =>
  isEmbedding(values) ? vectorLiteral(values, kind) : null;

/**
 * td_visual_baselines (one row per page and application version: the current capture, its approval, the
 * latest drift verdict) and td_drift_detections (every check, from baseline streams and from runs).
 */
export const visualBaselinesProjection: Projection = {
  name: "visual_baselines",
  tables: ["td_visual_baselines", "td_drift_detections"],
  types: ["BaselineCaptured", "BaselineApproved", "DriftDetected"],
  async apply(events, tx) {
    let kind: VectorColumn | undefined;
    for (const e of events) {
      const at = e.recordedAt.toISOString();
      if (e.type === "BaselineCaptured") {
        const d = (e as RecordedEvent<string, Captured>).data;
        kind ??= await embeddingColumn(tx);
        await tx.query(
          `INSERT INTO td_visual_baselines (baseline_id, page_identifier, application_version, url, status,
             screenshot_hash, structure_hash, dom_hash, regions, embedding_model, visual_embedding, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'captured', $5, $6, $7, $8::jsonb, $9, $10::${kind}, $11, $11)
           ON CONFLICT (baseline_id) DO UPDATE SET url = EXCLUDED.url, status = 'captured',
             screenshot_hash = EXCLUDED.screenshot_hash, structure_hash = EXCLUDED.structure_hash,
             dom_hash = EXCLUDED.dom_hash, regions = EXCLUDED.regions, embedding_model = EXCLUDED.embedding_model,
             visual_embedding = EXCLUDED.visual_embedding, approved_by = NULL, approved_at = NULL,
             updated_at = EXCLUDED.updated_at`,
          [
            d.baseline_id,
            d.page_identifier,
            d.application_version,
            d.url,
            d.screenshot_hash,
            d.structure_hash,
            d.dom_hash,
            JSON.stringify(d.regions),
            d.embedding_model,
            embeddingLiteral(d.visual_embedding, kind),
            at,
          ],
        );
      } else if (e.type === "BaselineApproved") {
        const d = (e as RecordedEvent<string, Approved>).data;
        await tx.query(
          `UPDATE td_visual_baselines SET status = 'approved', approved_by = $2, approved_at = $3, updated_at = $3
            WHERE baseline_id = $1`,
          [d.baseline_id, d.approved_by, at],
        );
      } else if (e.type === "DriftDetected") {
        const d = (e as RecordedEvent<string, Detected>).data;
        const runId = d.run_id ?? (e.streamId.startsWith("run-") ? e.streamId.slice(4) : null);
        await tx.query(
          `INSERT INTO td_drift_detections (detection_id, baseline_id, page, run_id, severity, drift_detected,
             similarity, pixel_diff_ratio, embedding_distance, current_screenshot_hash, changed_regions,
             new_elements, removed_elements, changed_elements, change_description, impact_assessment,
             recommended_actions, described_by, detected_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14::jsonb, $15, $16,
             $17::jsonb, $18, $19)
           ON CONFLICT (detection_id) DO NOTHING`,
          [
            d.detection_id,
            d.baseline_id ?? null,
            d.page,
            runId,
            d.severity,
            d.drift_detected,
            d.similarity,
            d.pixel_diff_ratio,
            d.embedding_distance,
            d.current_screenshot_hash ?? null,
            JSON.stringify(d.changed_regions),
            JSON.stringify(d.new_elements),
            JSON.stringify(d.removed_elements),
            JSON.stringify(d.changed_elements),
            d.description,
            d.impact_assessment,
            JSON.stringify(d.recommended_actions),
            d.described_by,
            at,
          ],
        );
        if (d.baseline_id)
          await tx.query(
            `UPDATE td_visual_baselines SET detections = detections + 1, last_severity = $2, last_checked_at = $3
              WHERE baseline_id = $1`,
            [d.baseline_id, d.severity, at],
          );
      }
    }
  },
};

export interface BaselineRow {
  baseline_id: string;
  page_identifier: string;
  application_version: string;
  url: string;
  status: "captured" | "approved";
  screenshot_hash: string;
  dom_hash: string;
  embedding_model: string;
  approved_by: string | null;
  approved_at: string | null;
  detections: number;
  last_severity: string | null;
  last_checked_at: string | null;
  created_at: string;
  updated_at: string;
}

const BASELINE_COLUMNS = `baseline_id, page_identifier, application_version, url, status, screenshot_hash, dom_hash,
  embedding_model, approved_by, approved_at, detections, last_severity, last_checked_at, created_at, updated_at`;

export async function listBaselines(
  db: SqlExecutor,
  filter: { page?: string; version?: string; status?: string } = {},
): Promise<BaselineRow[]> {
  const { rows } = await db.query<BaselineRow>(
    `SELECT ${BASELINE_COLUMNS} FROM td_visual_baselines
      WHERE ($1::text IS NULL OR page_identifier = $1) AND ($2::text IS NULL OR application_version = $2)
        AND ($3::text IS NULL OR status = $3)
      ORDER BY page_identifier, application_version`,
    [filter.page ?? null, filter.version ?? null, filter.status ?? null],
  );
  return rows;
}

/** Baselines that look most like an embedding (cosine similarity), within one embedding model. */
export async function similarBaselines(
  db: SqlExecutor,
  embedding: readonly number[],
  model: string,
  limit = 5,
): Promise<
  { baseline_id: string; page_identifier: string; application_version: string; similarity: number }[]
> {
  const kind = await embeddingColumn(db);
  const literal = embeddingLiteral(embedding, kind);
  if (!literal) throw new RangeError(`embedding must have ${EMBEDDING_DIMENSIONS} finite values`);
  const query =
    kind === "vector"
      ? `SELECT baseline_id, page_identifier, application_version, 1 - (visual_embedding <=> $1::vector) AS similarity
           FROM td_visual_baselines WHERE embedding_model = $2 AND visual_embedding IS NOT NULL
          ORDER BY visual_embedding <=> $1::vector LIMIT $3`
      : `SELECT baseline_id, page_identifier, application_version,
                td_cosine_similarity(visual_embedding, $1::real[]) AS similarity
           FROM td_visual_baselines WHERE embedding_model = $2 AND visual_embedding IS NOT NULL
          ORDER BY similarity DESC LIMIT $3`;
  const { rows } = await db.query<{
    baseline_id: string;
    page_identifier: string;
    application_version: string;
    similarity: number;
  }>(query, [literal, model, limit]);
  return rows.map((r) => ({ ...r, similarity: Number(r.similarity) }));
}

export async function driftDetections(
  db: SqlExecutor,
  filter: { baselineId?: string; page?: string; limit?: number } = {},
) {
  const { rows } = await db.query(
    `SELECT detection_id, baseline_id, page, run_id, severity, drift_detected, similarity, pixel_diff_ratio,
            embedding_distance, change_description, impact_assessment, recommended_actions, detected_at
       FROM td_drift_detections
      WHERE ($1::uuid IS NULL OR baseline_id = $1) AND ($2::text IS NULL OR page = $2)
      ORDER BY detected_at DESC LIMIT $3`,
    [filter.baselineId ?? null, filter.page ?? null, filter.limit ?? 50],
  );
  return rows;
}
