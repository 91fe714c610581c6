import type { RecordedEvent } from "../domain/events/envelope.js";
import type { Projection } from "./projection.js";

type Scan = {
  page: string;
  violations?: {
    rule: string;
    impact: string | null;
    wcag: string[];
    help: string;
    help_url: string;
    targets: string[];
  }[];
  findings?: { rule: string; severity: string; owasp: string; detail: string }[];
};

/**
 * td_quality_issues: one row per kind (accessibility, security), page and rule, with the runs that saw it. A run that sees the same
 * issue on several scans counts once.
 */
export const qualityIssuesProjection: Projection = {
  name: "quality_issues",
  tables: ["td_quality_issues"],
  types: ["AccessibilityScanned", "SecurityChecked"],
  async apply(events, tx) {
    for (const e of events as RecordedEvent<string, Scan>[]) {
      const runId = e.streamId.slice("run-".length);
      const at = e.recordedAt.toISOString();
      const issues =
        e.type === "AccessibilityScanned"
          ? (e.data.violations ?? []).map((v) => ({
              kind: "accessibility",
              rule: v.rule,
              impact: v.impact,
              detail: { wcag: v.wcag, help: v.help, help_url: v.help_url, targets: v.targets },
            }))
          : (e.data.findings ?? []).map((f) => ({
              kind: "security",
              rule: f.rule,
              impact: f.severity,
              detail: { owasp: f.owasp, detail: f.detail },
            }));
      for (const issue of issues) {
        await tx.query(
          `INSERT INTO td_quality_issues AS q (kind, page, rule, impact, detail, first_seen_run, first_seen_at,
             last_seen_run, last_seen_at, runs, history)
           VALUES ($8, $1, $2, $3, $4::jsonb, $5::uuid, $6::timestamptz, $5::uuid, $6::timestamptz, 1, $7::jsonb)
           ON CONFLICT (kind, page, rule) DO UPDATE SET impact = EXCLUDED.impact, detail = EXCLUDED.detail,
             last_seen_run = EXCLUDED.last_seen_run, last_seen_at = EXCLUDED.last_seen_at,
             runs = q.runs + CASE WHEN q.last_seen_run = EXCLUDED.last_seen_run THEN 0 ELSE 1 END,
             history = CASE WHEN q.last_seen_run = EXCLUDED.last_seen_run THEN q.history
                            ELSE q.history || EXCLUDED.history END`,
          [
            e.data.page,
            issue.rule,
            issue.impact,
            JSON.stringify(issue.detail),
            runId,
            at,
            JSON.stringify([{ run_id: runId, at }]),
            issue.kind,
          ],
        );
      }
    }
  },
};
