import type { SqlClient } from "../../ports/sql.js";

/** A request for the worker that holds a run's lease, whichever replica received it. */
export interface LeaseCommand {
  kind: "stop";
  reason: string;
  save_state: boolean;
}

export interface Claim {
  run_id: string;
  /** How many times the run has been claimed, this claim included. */
  claims: number;
  /** Set when the run was taken over: the worker whose lease had run out, and when it did. */
  previous_worker?: string;
  lease_expired_at?: string;
}

export interface QueueEntry {
  run_id: string;
  status: "queued" | "claimed" | "done";
  queued_at: string;
  claimed_at: string | null;
  worker: string | null;
  lease_until: string | null;
  /** Whether the lease still holds (a claimed run whose lease ran out waits for another worker). */
  live: boolean;
  claims: number;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/**
 * The run queue in the database (td_run_queue): runs wait `queued`, a worker claims one with a lease
 * (`FOR UPDATE SKIP LOCKED`: two workers never claim the same run), renews it while the run goes on and
 * releases it at the end. A claimed run whose lease ran out is claimed again by the next worker that asks.
 * Lease times are the database's clock, so workers on different machines agree on them.
 */
export class RunQueue {
  constructor(readonly db: SqlClient) {}

  /** Puts a run in the queue; a run already queued or held stays as it is. True if it now waits. */
  async enqueue(runId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO td_run_queue (run_id, status) VALUES ($1, 'queued')
       ON CONFLICT (run_id) DO UPDATE
         SET status = 'queued', queued_at = now(), worker = NULL, lease_until = NULL, command = NULL,
             updated_at = now()
         WHERE td_run_queue.status = 'done'
       RETURNING run_id`,
      [runId],
    );
    return rows.length > 0;
  }

  /** Claims the oldest waiting run, or one whose lease ran out; undefined when there is none. */
  async claimNext(worker: string, ttlMs: number): Promise<Claim | undefined> {
    return this.claimWhere(worker, ttlMs, "TRUE", []);
  }

  /**
   * Claims one run for this worker: a waiting run, one whose lease ran out, one it already holds, or one
   * the queue has never seen (a run executed where it was started). Undefined when another worker holds it.
   */
  async claimRun(runId: string, worker: string, ttlMs: number): Promise<Claim | undefined> {
    await this.db.query(
      `INSERT INTO td_run_queue (run_id, status) VALUES ($1, 'queued') ON CONFLICT (run_id) DO NOTHING`,
      [runId],
    );
    const claim = await this.claimWhere(worker, ttlMs, "run_id = $3", [runId], true);
    if (claim) return claim;
    // A finished run (done) is claimed again for a resume or a heal here.
    const { rows } = await this.db.query(
      `UPDATE td_run_queue SET status = 'queued', updated_at = now() WHERE run_id = $1 AND status = 'done'
       RETURNING run_id`,
      [runId],
    );
    return rows.length > 0 ? this.claimWhere(worker, ttlMs, "run_id = $3", [runId], true) : undefined;
  }

  private async claimWhere(
    worker: string,
    ttlMs: number,
    filter: string,
    params: unknown[],
    mine = false,
  ): Promise<Claim | undefined> {
    const { rows } = await this.db.query<Row>(
      `WITH next AS (
         SELECT run_id, status AS was, worker AS previous, lease_until AS expired
           FROM td_run_queue
          WHERE (status = 'queued' OR (status = 'claimed' AND (lease_until < now()${mine ? " OR worker = $1" : ""})))
            AND ${filter}
          ORDER BY queued_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
       UPDATE td_run_queue q
          SET status = 'claimed', worker = $1, claimed_at = now(),
              lease_until = now() + $2 * interval '1 millisecond', claims = q.claims + 1, command = NULL,
              updated_at = now()
         FROM next
        WHERE q.run_id = next.run_id
       RETURNING q.run_id, q.claims, next.was, next.previous, next.expired`,
      [worker, ttlMs, ...params],
    );
    const row = rows[0];
    if (!row) return undefined;
    const takenOver = row.was === "claimed" && row.previous !== worker;
    return {
      run_id: row.run_id as string,
      claims: Number(row.claims),
      ...(takenOver
        ? { previous_worker: row.previous as string, lease_expired_at: iso(row.expired) ?? undefined }
        : {}),
    };
  }

  /**
   * Extends the lease. Returns the command waiting for the holder (or null), or undefined when this worker
   * no longer holds the run: another worker took it over, and this one must not touch it again.
   */
  async renew(runId: string, worker: string, ttlMs: number): Promise<LeaseCommand | null | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE td_run_queue SET lease_until = now() + $3 * interval '1 millisecond', command = NULL,
              updated_at = now()
         FROM (SELECT command AS waiting FROM td_run_queue WHERE run_id = $1 FOR UPDATE) w
        WHERE run_id = $1 AND worker = $2 AND status = 'claimed'
       RETURNING w.waiting`,
      [runId, worker, ttlMs],
    );
    if (rows.length === 0) return undefined;
    return (rows[0]!.waiting as LeaseCommand | null) ?? null;
  }

  /** The run is over for this worker: it leaves the queue (done). */
  async release(runId: string, worker: string): Promise<void> {
    await this.db.query(
      `UPDATE td_run_queue SET status = 'done', lease_until = NULL, command = NULL, updated_at = now()
        WHERE run_id = $1 AND worker = $2 AND status = 'claimed'`,
      [runId, worker],
    );
  }

  /** Leaves a command for the run's live lease holder; the holder's name, or undefined if no lease holds. */
  async request(runId: string, command: LeaseCommand): Promise<string | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE td_run_queue SET command = $2::jsonb, updated_at = now()
        WHERE run_id = $1 AND status = 'claimed' AND lease_until >= now()
       RETURNING worker`,
      [runId, JSON.stringify(command)],
    );
    return rows[0]?.worker as string | undefined;
  }

  /**
   * Takes a run out of the queue while no worker holds it: one still waiting, or one whose worker's lease
   * ran out. True if it was taken out.
   */
  async cancel(runId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `UPDATE td_run_queue SET status = 'done', lease_until = NULL, updated_at = now()
        WHERE run_id = $1 AND (status = 'queued' OR (status = 'claimed' AND lease_until < now()))
       RETURNING run_id`,
      [runId],
    );
    return rows.length > 0;
  }

  async entry(runId: string): Promise<QueueEntry | undefined> {
    return (await this.entries([runId])).get(runId);
  }

  /** The queue's rows for some runs, by run id. */
  async entries(runIds: string[]): Promise<Map<string, QueueEntry>> {
    if (runIds.length === 0) return new Map();
    const { rows } = await this.db.query<Row>(
      `SELECT run_id, status, queued_at, claimed_at, worker, lease_until, claims,
              (status = 'claimed' AND lease_until >= now()) AS live
         FROM td_run_queue WHERE run_id = ANY($1::uuid[])`,
      [runIds],
    );
    return new Map(rows.map((r) => [r.run_id as string, entryOf(r)]));
  }

  /** Runs waiting or held, oldest first: what the KEDA scaler counts. */
  async pending(limit = 100): Promise<QueueEntry[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT run_id, status, queued_at, claimed_at, worker, lease_until, claims,
              (status = 'claimed' AND lease_until >= now()) AS live
         FROM td_run_queue WHERE status IN ('queued', 'claimed') ORDER BY queued_at LIMIT $1`,
      [limit],
    );
    return rows.map(entryOf);
  }
}

function entryOf(r: Row): QueueEntry {
  return {
    run_id: r.run_id as string,
    status: r.status as QueueEntry["status"],
    queued_at: iso(r.queued_at)!,
    claimed_at: iso(r.claimed_at),
    worker: (r.worker as string | null) ?? null,
    lease_until: iso(r.lease_until),
    live: r.live === true,
    claims: Number(r.claims),
  };
}
