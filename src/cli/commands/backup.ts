import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Command } from "commander";
import { ConfigError } from "../../config/load.js";
import { READ_MODELS } from "../../projections/read-models.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { loadRuntime, openStore, type Runtime } from "../../runtime.js";

const run = promisify(execFile);

function postgresOf(runtime: Runtime): { url: string; schema?: string } {
  const { store } = runtime.config;
  if (store.kind !== "postgres" || !store.databaseUrl) {
    throw new ConfigError([
      "backup and restore work on PostgreSQL (DATABASE_URL); for the embedded store, copy its data directory while nothing runs",
    ]);
  }
  const parsed = new URL(store.databaseUrl);
  const options = parsed.searchParams.get("options") ?? "";
  // libpq reads %20, not the + that URLSearchParams writes for a space.
  parsed.search = [...parsed.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return { url: parsed.toString(), schema: /search_path=([^,\s]+)/.exec(options)?.[1] };
}

/** pg_dump and pg_restore, with their own error output when they fail. */
async function tool(name: string, args: string[]) {
  try {
    await run(name, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new Error(`${name} is not installed: install PostgreSQL's client tools`);
    throw new Error(`${name} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

export function registerBackup(program: Command) {
  program
    .command("backup")
    .argument("<file>", "where to write the dump (pg_dump's custom format)")
    .description("dump the event log and everything beside it from PostgreSQL (pg_dump; the service may run)")
    .action(async (file: string) => {
      const { url, schema } = postgresOf(loadRuntime(program.opts().config));
      await tool("pg_dump", [
        "--format=custom",
        "--no-owner",
        ...(schema ? [`--schema=${schema}`] : []),
        `--file=${file}`,
        url,
      ]);
      process.stdout.write(`backup written to ${file}${schema ? ` (schema ${schema})` : ""}\n`);
    });
  program
    .command("restore")
    .argument("<file>", "a dump written by testdriver backup")
    .description(
      "restore a dump into an empty database, make its events visible to this cluster's transactions, and rebuild the read models (run while no TestDriver process uses the database)",
    )
    .action(async (file: string) => {
      const runtime = loadRuntime(program.opts().config);
      const { url } = postgresOf(runtime);
      await tool("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${url}`, file]);
      const { store } = await openStore(runtime, { migrate: true });
      try {
        const { rows } = await store.db.query<{ n: string }>("SELECT td_after_restore() AS n");
        await new ProjectionRunner(store, READ_MODELS).rebuild();
        process.stdout.write(
          `restored ${file}: ${Number(rows[0]!.n)} events given this cluster's frozen transaction id; read models rebuilt\n`,
        );
      } finally {
        await store.close();
      }
    });
}
