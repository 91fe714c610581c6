import { EventEmitter } from "node:events";
import pg from "pg";

/** Tells live subscribers that the log may have grown. Only a hint: subscribers also poll. */
export interface ChangeNotifier {
  onChange(listener: () => void): () => void;
  /** Called by the store after each append, for notifiers that cannot hear the database. */
  appended(): void;
  close(): Promise<void>;
}

export class InProcessNotifier implements ChangeNotifier {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  onChange(listener: () => void) {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  appended() {
    this.emitter.emit("change");
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

/**
 * Wakes subscribers in every process that shares the database. After an append commits, the writer wakes
 * its own process at once and sends one NOTIFY, coalescing the appends made meanwhile, so that notifying
 * never sits inside an append's transaction (PostgreSQL serialises notifying commits). LISTENs lazily on
 * the first listener and reconnects after a dropped connection.
 */
export class PgListenNotifier implements ChangeNotifier {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  private notifying: Promise<void> | undefined;
  private notifyAgain = false;

  constructor(
    private readonly connectionString: string,
    private readonly send: (sql: string) => Promise<unknown>,
    private readonly channel = "td_events",
  ) {}

  onChange(listener: () => void) {
    this.emitter.on("change", listener);
    void this.ensureConnected();
    return () => this.emitter.off("change", listener);
  }

  appended() {
    this.emitter.emit("change");
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = this.send(`NOTIFY ${this.channel}`)
      .then(() => undefined)
      .catch(() => {
        // Other processes still find the events by polling.
      })
      .finally(() => {
        this.notifying = undefined;
        if (this.notifyAgain && !this.closed) {
          this.notifyAgain = false;
          this.appended();
        }
      });
  }

  private ensureConnected(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: "testdriver-listen",
    });
    client.on("notification", () => this.emitter.emit("change"));
    client.on("error", () => this.dropped(client));
    client.on("end", () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // Anything appended while we were not listening must still be seen.
      this.emitter.emit("change");
    } catch {
      await client.end().catch(() => {});
      this.retryLater();
    }
  }

  private dropped(client: pg.Client) {
    if (this.client !== client) return;
    this.client = undefined;
    this.retryLater();
  }

  private retryLater() {
    if (this.closed || this.emitter.listenerCount("change") === 0) return;
    setTimeout(() => void this.ensureConnected(), 500).unref();
  }

  async close() {
    this.closed = true;
    this.emitter.removeAllListeners();
    await this.connecting;
    await this.notifying;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
