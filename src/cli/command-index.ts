import type { Command } from "commander";

type Register = (program: Command) => void;
type Loader = () => Promise<Register>;

/*
 * Each command's module, loaded only when its command is named: a store, a browser or a model client weigh
 * seconds, and `--help` or a typo must answer at once. A module may register several commands.
 */
const backup: Loader = async () => (await import("./commands/backup.js")).registerBackup;
const bench: Loader = async () => (await import("./commands/bench.js")).registerBench;
const config: Loader = async () => (await import("./commands/config.js")).registerConfig;
const demo: Loader = async () => (await import("./commands/demo.js")).registerDemo;
const drift: Loader = async () => (await import("./commands/drift.js")).registerDrift;
const events: Loader = async () => (await import("./commands/events.js")).registerEvents;
const exporting: Loader = async () => (await import("./commands/export.js")).registerExport;
const heals: Loader = async () => (await import("./commands/heals.js")).registerHeals;
const keys: Loader = async () => (await import("./commands/keys.js")).registerKeys;
const mcp: Loader = async () => (await import("./commands/mcp.js")).registerMcp;
const migrate: Loader = async () => (await import("./commands/migrate.js")).registerMigrate;
const plan: Loader = async () => (await import("./commands/plan.js")).registerPlan;
const projections: Loader = async () => (await import("./commands/projections.js")).registerProjections;
const relay: Loader = async () => (await import("./commands/relay.js")).registerRelay;
const reliability: Loader = async () => (await import("./commands/reliability.js")).registerReliability;
const run: Loader = async () => (await import("./commands/run.js")).registerRun;
const runControl: Loader = async () => (await import("./commands/runs.js")).registerRunControl;
const serve: Loader = async () => (await import("./commands/serve.js")).registerServe;
const worker: Loader = async () => (await import("./commands/worker.js")).registerWorker;

export interface IndexedCommand {
  name: string;
  /** What follows the name in the list: its arguments, or its subcommands. */
  args: string;
  /** One line for the list; `testdriver NAME --help` has the whole description and the options. */
  summary: string;
  load: Loader;
}

/**
 * The commands as `testdriver --help` lists them: in the order a newcomer needs them (run one, look at the
 * runs and heals, serve), operations last. tests/cli/help.test.ts checks it names every command there is.
 */
export const COMMAND_GROUPS: { title: string; commands: IndexedCommand[] }[] = [
  {
    title: "Test",
    commands: [
      { name: "run", args: "[plan]", summary: "run a plan, a feature file or --requirements", load: run },
      { name: "demo", args: "", summary: "test the bundled demo app, v1 then v2 (heals)", load: demo },
      { name: "plan", args: "[file]", summary: "show how a plan or requirements are understood", load: plan },
    ],
  },
  {
    title: "Runs and heals",
    commands: [
      { name: "runs", args: "", summary: "list runs, newest first, with their ids", load: runControl },
      { name: "heals", args: "list|review", summary: "a run's heals, and approving them", load: heals },
      {
        name: "resume",
        args: "<run-id>",
        summary: "continue a stopped run from its snapshot",
        load: runControl,
      },
      {
        name: "heal",
        args: "<run-id>",
        summary: "re-run a failed run, healing its locators",
        load: runControl,
      },
      { name: "stop", args: "<run-id>", summary: "stop a run after its current step", load: runControl },
      {
        name: "export",
        args: "<run-id>",
        summary: "write a run as a Playwright test (or folder)",
        load: exporting,
      },
    ],
  },
  {
    title: "Serve",
    commands: [
      { name: "serve", args: "", summary: "the HTTP API, MCP over HTTP and web console", load: serve },
      { name: "worker", args: "", summary: "claim queued runs and execute them", load: worker },
      { name: "mcp", args: "", summary: "the MCP server over stdio, for an MCP client", load: mcp },
      { name: "keys", args: "create|list|revoke", summary: "API keys of the HTTP API and MCP", load: keys },
    ],
  },
  {
    title: "Visual drift",
    commands: [
      {
        name: "baseline",
        args: "capture|approve|list",
        summary: "how pages should look, per version",
        load: drift,
      },
      { name: "drift", args: "check|list", summary: "check pages against approved baselines", load: drift },
    ],
  },
  {
    title: "Data and operations",
    commands: [
      {
        name: "reliability",
        args: "",
        summary: "reliability scores per test, page and adapter",
        load: reliability,
      },
      { name: "relay", args: "<sink>", summary: "publish the event log to Kafka", load: relay },
      { name: "consume", args: "analytics", summary: "consumers of the relayed events", load: relay },
      { name: "migrate", args: "", summary: "apply pending database migrations", load: migrate },
      { name: "events", args: "tail", summary: "read the event log", load: events },
      { name: "config", args: "", summary: "the effective configuration and its sources", load: config },
      { name: "bench", args: "<name>", summary: "run a benchmark", load: bench },
      { name: "backup", args: "<file>", summary: "dump the PostgreSQL store", load: backup },
      { name: "restore", args: "<file>", summary: "restore a dump into an empty database", load: backup },
      {
        name: "projections",
        args: "rebuild|status",
        summary: "the read models and their lag",
        load: projections,
      },
    ],
  },
];

export const INDEXED: IndexedCommand[] = COMMAND_GROUPS.flatMap((g) => g.commands);

export const indexedCommand = (name: string) => INDEXED.find((c) => c.name === name);

/** Every command module's registration, each once: what full help and the index's check load. */
export const ALL_LOADERS: Loader[] = [...new Set(INDEXED.map((c) => c.load))];
