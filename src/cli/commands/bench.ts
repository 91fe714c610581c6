import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../../config/load.js";

const BENCHES = ["eventstore", "snapshot", "steps", "mcp", "drift", "planner", "healing", "scale"] as const;

async function withScratchSchema<T>(url: string, fn: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE SCHEMA ${schema}_peer`);
    return await fn(schema);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_peer CASCADE`);
    await client.end();
  }
}

export function registerBench(program: Command) {
  program
    .command("bench")
    .description(`run a benchmark and print one JSON line per subject (${BENCHES.join(", ")})`)
    .argument("<name>", "which benchmark", (v) => {
      if (!(BENCHES as readonly string[]).includes(v)) {
        throw new InvalidArgumentError(`unknown benchmark; choose one of: ${BENCHES.join(", ")}`);
      }
      return v;
    })
    .option("--database-url <url>", "PostgreSQL to measure (default: DATABASE_URL, then TEST_DATABASE_URL)")
    .option(
      "--similo <path>",
      "the Similo data set for the healing bench (default ../shared/datasets/similo2.json)",
    )
    .option(
      "--rounds <n>",
      "mcp, scale: how many times each case is measured (the median is printed)",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new InvalidArgumentError("a whole number of rounds, 1 or more");
        return n;
      },
    )
    .action(async (name: string, options: { databaseUrl?: string; similo?: string; rounds?: number }) => {
      // Each bench loads what it measures, so that `testdriver --help` does not.
      if (name === "healing") {
        const { benchHealing } = await import("../../bench/healing.js");
        const lines = benchHealing(options.similo ? { similo: options.similo } : {});
        for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
        // The real-app corpus: TodoMVC implementations captured in Chromium.
        const { browser } = loadConfig({ file: program.opts().config });
        const { benchHealingTodoMvc } = await import("../../bench/healing-todomvc-score.js");
        const real = await benchHealingTodoMvc({
          executablePath: browser.chromiumPath,
          chromedriverPath: browser.chromedriverPath,
          headless: true,
        });
        for (const line of real) process.stdout.write(`${JSON.stringify(line)}\n`);
        // Real upgrades: old and new major releases of real apps, captured in Chromium and committed.
        const { benchHealingApps } = await import("../../bench/healing-apps-score.js");
        for (const line of benchHealingApps()) process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      if (name === "planner") {
        const { benchPlanner } = await import("../../bench/planner.js");
        for (const line of benchPlanner()) process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      if (name === "mcp") {
        const { browser } = loadConfig({ file: program.opts().config });
        const { benchMcp } = await import("../../bench/mcp.js");
        for (const line of await benchMcp({ executablePath: browser.chromiumPath, rounds: options.rounds }))
          process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      if (name === "drift") {
        const { browser } = loadConfig({ file: program.opts().config });
        const { benchDrift } = await import("../../bench/drift.js");
        const lines = await benchDrift({
          executablePath: browser.chromiumPath,
          chromedriverPath: browser.chromedriverPath,
          headless: true,
        });
        for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      if (name === "snapshot" || name === "steps") {
        const { browser } = loadConfig({ file: program.opts().config });
        const chromium = {
          executablePath: browser.chromiumPath,
          chromedriverPath: browser.chromedriverPath,
          headless: true,
        };
        const lines =
          name === "snapshot"
            ? await (await import("../../bench/snapshot.js")).benchSnapshot(chromium)
            : await (await import("../../bench/steps.js")).benchSteps(chromium);
        for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      const url =
        options.databaseUrl ??
        process.env.DATABASE_URL ??
        process.env.TEST_DATABASE_URL ??
        "postgres://postgres@127.0.0.1:5432/test";
      if (name === "scale") {
        const { benchScale } = await import("../../bench/scale.js");
        for (const line of await benchScale({ databaseUrl: url, rounds: options.rounds }))
          process.stdout.write(`${JSON.stringify(line)}\n`);
        return;
      }
      const [{ benchEventStore }, { withSearchPath }] = await Promise.all([
        import("../../bench/eventstore.js"),
        import("../../adapters/eventstore/open.js"),
      ]);
      const dataDir = mkdtempSync(join(tmpdir(), "td-bench-"));
      try {
        const pglite = await benchEventStore({
          stores: [{ name: "pglite", config: { kind: "pglite", dataDir } }],
        });
        for (const line of pglite) process.stdout.write(`${JSON.stringify(line)}\n`);
        await withScratchSchema(url, async (schema) => {
          const lines = await benchEventStore({
            stores: [
              {
                name: "postgres",
                config: { kind: "postgres", connectionString: url, schema },
                peerConnectionString: withSearchPath(url, `${schema}_peer`),
              },
            ],
          });
          for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
        }).catch((error: Error) => {
          process.stdout.write(
            `${JSON.stringify({ bench: "eventstore", store: "postgres", error: error.message })}\n`,
          );
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
}
