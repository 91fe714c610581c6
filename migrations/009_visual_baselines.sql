-- Visual baselines and drift detections (spec 4.3: visual_baselines, drift_detection_results), filled by the
-- visual_baselines projection from the baseline streams and runs. The embedding is kept for similarity search
-- when it has 512 dimensions (the bundled model and CLIP ViT-B/32); others stay in the event only.

-- @if vector
CREATE TABLE td_visual_baselines (
  baseline_id         uuid PRIMARY KEY,
  page_identifier     text NOT NULL,
  application_version text NOT NULL,
  url                 text NOT NULL,
  status              text NOT NULL CHECK (status IN ('captured', 'approved')),
  screenshot_hash     text NOT NULL,
  structure_hash      text NOT NULL,
  dom_hash            text NOT NULL,
  regions             jsonb NOT NULL DEFAULT '[]',
  embedding_model     text NOT NULL,
  visual_embedding    vector(512),
  approved_by         text,
  approved_at         timestamptz,
  detections          integer NOT NULL DEFAULT 0,
  last_severity       text,
  last_checked_at     timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  UNIQUE (page_identifier, application_version)
);
CREATE INDEX td_visual_baselines_embedding ON td_visual_baselines USING hnsw (visual_embedding vector_cosine_ops);
-- @else
CREATE TABLE td_visual_baselines (
  baseline_id         uuid PRIMARY KEY,
  page_identifier     text NOT NULL,
  application_version text NOT NULL,
  url                 text NOT NULL,
  status              text NOT NULL CHECK (status IN ('captured', 'approved')),
  screenshot_hash     text NOT NULL,
  structure_hash      text NOT NULL,
  dom_hash            text NOT NULL,
  regions             jsonb NOT NULL DEFAULT '[]',
  embedding_model     text NOT NULL,
  visual_embedding    real[] CHECK (visual_embedding IS NULL OR cardinality(visual_embedding) = 512),
  approved_by         text,
  approved_at         timestamptz,
  detections          integer NOT NULL DEFAULT 0,
  last_severity       text,
  last_checked_at     timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  UNIQUE (page_identifier, application_version)
);
-- @endif
CREATE INDEX td_visual_baselines_page ON td_visual_baselines (page_identifier);
CREATE INDEX td_visual_baselines_version ON td_visual_baselines (application_version);

CREATE TABLE td_drift_detections (
  detection_id            uuid PRIMARY KEY,
  baseline_id             uuid,
  page                    text NOT NULL,
  run_id                  uuid,
  severity                text NOT NULL CHECK (severity IN ('none', 'cosmetic', 'structural', 'functional', 'critical')),
  drift_detected          boolean NOT NULL,
  similarity              double precision NOT NULL,
  pixel_diff_ratio        double precision NOT NULL,
  embedding_distance      double precision NOT NULL,
  current_screenshot_hash text,
  changed_regions         jsonb NOT NULL DEFAULT '[]',
  new_elements            jsonb NOT NULL DEFAULT '[]',
  removed_elements        jsonb NOT NULL DEFAULT '[]',
  changed_elements        jsonb NOT NULL DEFAULT '[]',
  change_description      text NOT NULL,
  impact_assessment       text NOT NULL,
  recommended_actions     jsonb NOT NULL DEFAULT '[]',
  described_by            text NOT NULL,
  detected_at             timestamptz NOT NULL
);
CREATE INDEX td_drift_detections_baseline ON td_drift_detections (baseline_id, detected_at DESC);
CREATE INDEX td_drift_detections_detected_at ON td_drift_detections (detected_at DESC);
CREATE INDEX td_drift_detections_severity ON td_drift_detections (severity);
