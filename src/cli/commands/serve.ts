import { type Command, InvalidArgumentError } from "commander";
import { startServer } from "../../http/serve.js";
import { loadRuntime, openEngine } from "../../runtime.js";

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("must be a port from 0 to 65535");
  return n;
};

export function registerServe(program: Command) {
  program
    .command("serve")
    .description("serve the HTTP API (and keep the read models up to date) until SIGINT or SIGTERM")
    .option("--port <port>", "port (default: server.port, 8080; 0 picks a free one)", port)
    .option("--host <host>", "address to listen on (default: server.host, 127.0.0.1)")
    .action(async (options: { port?: number; host?: string }) => {
      const runtime = loadRuntime(program.opts().config);
      const engine = await openEngine(runtime);
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer(engine, runtime.config, runtime.logger, options);
      } catch (error) {
        await engine.close();
        throw error;
      }
      process.stdout.write(
        `testdriver ${server.url} (${server.auth === "keys" ? "API keys required" : "no API keys: loopback only, every caller is admin"})\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          runtime.logger.info({ signal }, "shutting down: running tests stop after their current step");
          resolve();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await server.close();
      await engine.close();
    });
}
