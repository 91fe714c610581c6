import type { TimelineStep } from "../ui/model.js";

/** A run as the console's run views read it (GET /api/runs/:id/timeline). */

export interface RunSummary {
  run_id: string;
  status: string;
  plan_id: string | null;
  plan_name: string | null;
  application_url: string | null;
  application_version: string | null;
  driver: string | null;
  source: string | null;
  related_run: string | null;
  version: number;
  requested_at: string | null;
  duration_ms: number | null;
  steps: { total: number; passed: number; failed: number; skipped: number; healed: number };
  current_step: number | null;
  error: string | null;
}

export interface Timeline {
  run: RunSummary;
  steps: TimelineStep[];
  heals: { healing_id: string; decision: string; review: unknown }[];
}
