/**
 * What `testdriver serve` prints once it listens: where each face of the service is, so that a new user
 * finds the API reference and the MCP endpoint without reading the README first.
 */
export function serveBanner(server: { url: string; auth: "keys" | "open" }): string[] {
  const { url } = server;
  return [
    `testdriver ${url} (${server.auth === "keys" ? "API keys required" : "no API keys: loopback only, every caller is admin"})`,
    `console: ${url}/`,
    `API reference: ${url}/docs (interactive; the OpenAPI document is ${url}/openapi.json)`,
    server.auth === "keys"
      ? "API keys: send Authorization: Bearer <key>; `testdriver keys create --name N --role viewer|runner|admin` makes one"
      : "API keys: none yet, so loopback needs none; `testdriver keys create --name N --role admin` makes one (then restart)",
    `MCP: ${url}/mcp (Streamable HTTP)`,
  ];
}
