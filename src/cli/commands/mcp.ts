import { type Command, Option } from "commander";
import type { McpShared } from "../../mcp/server.js";
import type { Runtime } from "../../runtime.js";

interface Opened {
  shared: McpShared;
  close: () => Promise<void>;
}

/** The store, engine and read side, opened while the client already talks to the server. */
async function openShared(runtime: Runtime): Promise<Opened> {
  const [{ openEngine, mcpContextOf }, { READ_MODELS }, { ProjectionRunner }] = await Promise.all([
    import("../../runtime.js"),
    import("../../projections/read-models.js"),
    import("../../projections/runner.js"),
  ]);
  // The client lists tools before its first test: time enough to have the browser up by then.
  const engine = await openEngine(runtime, { warmBrowser: runtime.config.mcp.warmBrowser });
  const runner = new ProjectionRunner(engine.store, READ_MODELS, { logger: runtime.logger });
  runner.start();
  return {
    shared: mcpContextOf(engine, runtime, runner),
    close: async () => {
      await runner.stop();
      await engine.close();
    },
  };
}

export function registerMcp(program: Command) {
  program
    .command("mcp")
    .description(
      "serve the MCP protocol over stdio (what an MCP client's configuration runs); logs go to stderr",
    )
    .addOption(
      new Option(
        "--tools <profile>",
        "core: the tools that drive and check a test (a short tool list); all: also healing, replay, snapshots, baselines, metrics and health",
      ).choices(["core", "all"]),
    )
    .action(async (options: { tools?: "core" | "all" }) => {
      // Only what the handshake needs is loaded before it: the store opens (and migrates) in the
      // background, and tools wait for it. Clients give up on servers that are slow to initialize.
      const [{ StdioServerTransport }, { createMcpServer }, { loadRuntime }] = await Promise.all([
        import("@modelcontextprotocol/sdk/server/stdio.js"),
        import("../../mcp/server.js"),
        import("../../runtime.js"),
      ]);
      const runtime = loadRuntime(program.opts().config);
      const opening = openShared(runtime);
      opening.catch((error) => runtime.logger.error({ err: error }, "the store could not be opened"));
      const { server, close } = createMcpServer(
        opening.then((o) => o.shared),
        { tools: options.tools ?? runtime.config.mcp.tools },
      );
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = resolve;
        process.stdin.once("end", resolve);
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.connect(transport);
      runtime.logger.info("MCP server on stdio");
      await closed;
      close();
      await server.close().catch(() => {});
      const opened = await opening.catch(() => undefined);
      await opened?.close();
    });
}
