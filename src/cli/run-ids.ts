import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import { InputError, NotFoundError } from "../domain/errors.js";
import { runsStartingWith } from "../projections/run-report/find-runs.js";
import { runsProjection } from "../projections/run-report/projection.js";
import { ProjectionRunner } from "../projections/runner.js";

/**
 * Ids as people type them: a run's or a heal's id, or a unique start of it (`3f2a`, as `runs` and `heals
 * list` show them). A start that fits several names them; one that fits none says where the ids are.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f][0-9a-f-]*$/i;
/** How many candidates an ambiguous start names. */
const SHOWN = 5;

/** The one candidate whose id starts with `given`, or an error naming the candidates or where to look. */
export function uniqueStart<T>(
  given: string,
  candidates: readonly T[],
  id: (c: T) => string,
  words: { what: string; label: (c: T) => string; whereIds: string },
): T {
  const start = given.toLowerCase();
  const fits = candidates.filter((c) => id(c).toLowerCase().startsWith(start));
  if (fits.length === 1) return fits[0]!;
  if (fits.length === 0)
    throw new NotFoundError(`no ${words.what} id starts with ${given} (${words.whereIds})`);
  const shown = fits.slice(0, SHOWN).map((c) => `  ${id(c)}  ${words.label(c)}`);
  const more = fits.length > SHOWN ? [`  ... and more`] : [];
  throw new InputError(
    `${words.what}-id`,
    `${given} is the start of ${fits.length > SHOWN ? "more than 5" : fits.length} ${words.what} ids; give more of it:\n${[...shown, ...more].join("\n")}`,
  );
}

/** A run id from what was typed: a whole id as it is, a start of one looked up in the runs read model. */
export async function resolveRunId(store: SqlEventStore, given: string): Promise<string> {
  if (UUID.test(given)) return given.toLowerCase();
  if (!HEX.test(given)) throw new InputError("run-id", `${given} is not a run id, nor the start of one`);
  // The CLI has no projection runner of its own: the read model first takes in the log.
  await new ProjectionRunner(store, [runsProjection]).catchUp();
  const candidates = await runsStartingWith(store.db, given.toLowerCase(), SHOWN + 1);
  return uniqueStart(given, candidates, (r) => r.run_id, {
    what: "run",
    label: (r) => `${r.status.padEnd(8)} ${when(r.requested_at)}  ${r.plan_name ?? r.application_url}`,
    whereIds: "testdriver runs lists them",
  }).run_id;
}

const when = (at: string | Date | null) =>
  at ? new Date(at).toISOString().replace("T", " ").slice(0, 16) : "".padEnd(16);
