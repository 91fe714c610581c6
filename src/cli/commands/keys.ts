import { type Command, Option } from "commander";
import { ApiKeys, ROLES, type Role } from "../../adapters/sql/api-keys.js";
import { loadRuntime, openStore } from "../../runtime.js";

export function registerKeys(program: Command) {
  const keys = program.command("keys").description("API keys of the HTTP API and MCP endpoint");
  const withKeys = async (fn: (keys: ApiKeys) => Promise<void>) => {
    const { store } = await openStore(loadRuntime(program.opts().config));
    try {
      await fn(new ApiKeys(store.db));
    } finally {
      await store.close();
    }
  };
  keys
    .command("create")
    .description("create a key; it is printed once and only its hash is kept")
    .requiredOption("--name <name>", "who or what uses it")
    .addOption(new Option("--role <role>", "what it may do").choices([...ROLES]).default("viewer"))
    .action((options: { name: string; role: Role }) =>
      withKeys(async (k) => {
        const { key, info } = await k.create(options.name, options.role);
        process.stderr.write(`created ${info.key_id} (${info.role}) for ${info.name}; store the key now:\n`);
        process.stdout.write(`${key}\n`);
      }),
    );
  keys
    .command("list")
    .description("keys as JSON lines (never the key itself)")
    .action(() =>
      withKeys(async (k) => {
        for (const info of await k.list()) process.stdout.write(`${JSON.stringify(info)}\n`);
      }),
    );
  keys
    .command("revoke")
    .argument("<key-id>")
    .description("revoke a key at once")
    .action((keyId: string) =>
      withKeys(async (k) => {
        if (!(await k.revoke(keyId)))
          throw new Error(`no active key ${keyId}; \`testdriver keys list\` shows them`);
        process.stdout.write(`revoked ${keyId}\n`);
      }),
    );
}
