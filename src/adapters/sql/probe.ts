import { connect } from "node:net";

/** PostgreSQL's SSLRequest: a server answers it with one byte, S or N, before anything else. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const printable = (data: Buffer) =>
  JSON.stringify(
    data
      .subarray(0, 80)
      .toString("latin1")
      .replace(/[^\x20-\x7e\r\n]/g, "."),
  );

/**
 * What listens at a PostgreSQL URL's address, in words, for an error message when connecting failed or
 * hung: nothing, PostgreSQL, a server that answered something else (Redis says "-ERR ..."), or a listener
 * that took the connection and never spoke. Never takes longer than `timeoutMs`.
 */
export function describeListener(connectionString: string, timeoutMs: number): Promise<string> {
  let host = "localhost";
  let port = 5432;
  try {
    const url = new URL(connectionString);
    host = url.hostname.replace(/^\[|\]$/g, "") || host;
    port = Number(url.port || 5432);
  } catch {
    return Promise.resolve("the URL cannot be parsed");
  }
  const where = `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let nudged: NodeJS.Timeout | undefined;
    const done = (text: string) => {
      clearTimeout(timer);
      clearTimeout(nudged);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(
      () =>
        done(
          `a listener at ${where} accepted the connection but said nothing within ${timeoutMs} ms: not PostgreSQL`,
        ),
      timeoutMs,
    );
    socket.on("error", (error: NodeJS.ErrnoException) =>
      done(
        error.code === "ECONNREFUSED"
          ? `nothing listens at ${where}`
          : `cannot reach ${where}: ${error.code ?? error.message}`,
      ),
    );
    socket.on("connect", () => {
      socket.write(SSL_REQUEST);
      // Line-oriented servers (Redis, SMTP-likes) wait for an end of line before they answer.
      nudged = setTimeout(() => socket.write("\r\n"), Math.min(500, timeoutMs / 2));
    });
    socket.once("data", (data: Buffer) => {
      const first = data.toString("latin1", 0, 1);
      if (data.length === 1 && (first === "S" || first === "N")) done(`PostgreSQL answers at ${where}`);
      else done(`the server at ${where} is not PostgreSQL; it answered ${printable(data)}`);
    });
  });
}
