import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlClient } from "../../ports/sql.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../migrations", import.meta.url));

/** Extensions the schema uses when the database has them. */
export const OPTIONAL_EXTENSIONS = ["timescaledb", "vector"] as const;
export type Extension = (typeof OPTIONAL_EXTENSIONS)[number];

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
  extensions: Extension[];
}

const FILE_NAME = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
// Any lock key works as long as every TestDriver process uses the same one.
const MIGRATION_LOCK_KEY = 7391000;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file ${file}: the name must look like NNN_name.sql`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`migration file ${file}: version ${version} is used twice`);
    }
    migrations.push({ version, name: file, sql: await readFile(join(dir, file), "utf8") });
  }
  return migrations;
}

/**
 * Resolves `-- @if EXT` / `-- @if !EXT` / `-- @else` / `-- @endif` blocks against the installed extensions.
 * Blocks may nest. Lines of an inactive branch are dropped.
 */
export function resolveDirectives(sql: string, extensions: ReadonlySet<string>, file = "migration"): string {
  const out: string[] = [];
  const stack: { active: boolean; sawElse: boolean }[] = [];
  const active = () => stack.every((s) => s.active);
  sql.split("\n").forEach((line, i) => {
    const directive = /^\s*--\s*@(if|else|endif)\b\s*(!?)([a-z0-9_]*)\s*$/.exec(line);
    if (!directive) {
      if (active()) out.push(line);
      return;
    }
    const [, kind, negate, name] = directive;
    if (kind === "if") {
      if (!name) throw new Error(`${file}:${i + 1}: @if needs an extension name`);
      const has = extensions.has(name);
      stack.push({ active: negate ? !has : has, sawElse: false });
    } else {
      const top = stack.at(-1);
      if (!top) throw new Error(`${file}:${i + 1}: @${kind} without @if`);
      if (kind === "else") {
        if (top.sawElse) throw new Error(`${file}:${i + 1}: a second @else`);
        top.active = !top.active;
        top.sawElse = true;
      } else {
        stack.pop();
      }
    }
  });
  if (stack.length > 0) throw new Error(`${file}: @if without @endif`);
  return out.join("\n");
}

/** Creates the optional extensions the server offers and returns the ones installed. */
export async function ensureExtensions(db: SqlClient): Promise<Extension[]> {
  const { rows: available } = await db.query<{ name: string }>(
    "SELECT name FROM pg_available_extensions WHERE name = ANY($1::text[])",
    [[...OPTIONAL_EXTENSIONS]],
  );
  for (const { name } of available) {
    try {
      // Under the migration lock: CREATE EXTENSION IF NOT EXISTS is not safe against a concurrent twin.
      await db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        await tx.exec(`CREATE EXTENSION IF NOT EXISTS ${name}`);
      });
    } catch {
      // Without the privilege to create it the schema falls back to plain tables; that is supported.
    }
  }
  const { rows } = await db.query<{ extname: Extension }>(
    "SELECT extname FROM pg_extension WHERE extname = ANY($1::text[]) ORDER BY extname",
    [[...OPTIONAL_EXTENSIONS]],
  );
  return rows.map((r) => r.extname);
}

/**
 * Applies pending migrations in order, each in its own transaction under an advisory lock, so that
 * processes starting together neither race nor apply a migration twice.
 */
export async function migrate(db: SqlClient, migrations?: Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await loadMigrations());
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS td_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      extensions text[] NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const extensions = await ensureExtensions(db);
  const extensionSet = new Set<string>(extensions);
  const report: MigrationReport = { applied: [], alreadyApplied: [], extensions };
  for (const migration of all) {
    const sql = resolveDirectives(migration.sql, extensionSet, migration.name);
    const applied = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const { rows } = await tx.query("SELECT 1 FROM td_migrations WHERE version = $1", [migration.version]);
      if (rows.length > 0) return false;
      try {
        await tx.exec(sql);
      } catch (error) {
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query("INSERT INTO td_migrations (version, name, extensions) VALUES ($1, $2, $3::text[])", [
        migration.version,
        migration.name,
        extensions,
      ]);
      return true;
    });
    (applied ? report.applied : report.alreadyApplied).push(migration.name);
  }
  return report;
}
