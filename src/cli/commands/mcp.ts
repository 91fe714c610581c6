import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Command } from "commander";
import { createMcpServer } from "../../mcp/server.js";
import { READ_MODELS } from "../../projections/read-models.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { loadRuntime, mcpContextOf, openEngine } from "../../runtime.js";

export function registerMcp(program: Command) {
  program
    .command("mcp")
    .description(
      "serve the MCP protocol over stdio (what an MCP client's configuration runs); logs go to stderr",
    )
    .action(async () => {
      const runtime = loadRuntime(program.opts().config);
      const engine = await openEngine(runtime);
      const runner = new ProjectionRunner(engine.store, READ_MODELS, { logger: runtime.logger });
      runner.start();
      const { server, close } = createMcpServer(mcpContextOf(engine, runtime, runner));
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
      await runner.stop();
      await engine.close();
    });
}
