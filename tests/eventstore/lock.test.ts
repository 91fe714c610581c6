import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DirectoryLock, DirectoryLockedError } from "../../src/adapters/eventstore/dir-lock.js";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { testRegistry } from "../support/databases.js";

const holder = join(import.meta.dirname, "../support/hold-lock.ts");
const children: ChildProcess[] = [];

async function holdInAnotherProcess(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", holder, file], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  expect(line.toString()).toContain("locked");
  return child;
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

describe("the embedded store's directory lock", () => {
  it("persists under the data directory and can be reopened after close", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-lock-"));
    const first = await openEventStore({ kind: "pglite", dataDir }, testRegistry());
    await first.store.append("p-1", [{ type: "Counted", data: { writer: 1, n: 1 } }]);
    expect(existsSync(join(dataDir, "pgdata.lock"))).toBe(true);
    await first.store.close();
    expect(existsSync(join(dataDir, "pgdata.lock"))).toBe(false);

    const again = await openEventStore({ kind: "pglite", dataDir }, testRegistry());
    expect(again.migrations.applied).toEqual([]);
    expect(await again.store.streamVersion("p-1")).toBe(1);
    await again.store.close();
  });

  it("refuses a second opening in the same process", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-lock-"));
    const first = await openEventStore({ kind: "pglite", dataDir }, testRegistry());
    try {
      await expect(openEventStore({ kind: "pglite", dataDir }, testRegistry())).rejects.toThrow(
        /in use by this process/,
      );
    } finally {
      await first.store.close();
    }
  });

  it("refuses a directory held by another live process, naming it and how to share", async () => {
    const dir = mkdtempSync(join(tmpdir(), "td-lock-"));
    const file = join(dir, "pgdata.lock");
    const child = await holdInAnotherProcess(file);
    const attempt = openEventStore({ kind: "pglite", dataDir: dir }, testRegistry());
    await expect(attempt).rejects.toBeInstanceOf(DirectoryLockedError);
    await expect(attempt).rejects.toThrow(new RegExp(`process ${child.pid}.*testdriver serve.*DATABASE_URL`));
  });

  it("takes over a lock left by a process that died", async () => {
    const dir = mkdtempSync(join(tmpdir(), "td-lock-"));
    const file = join(dir, "pgdata.lock");
    const child = await holdInAnotherProcess(file);
    child.kill("SIGKILL");
    await once(child, "exit");
    expect(existsSync(file)).toBe(true);
    const lock = DirectoryLock.acquire(file);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it("takes over a lock file with no pid in it", () => {
    const dir = mkdtempSync(join(tmpdir(), "td-lock-"));
    const file = join(dir, "pgdata.lock");
    writeFileSync(file, "");
    DirectoryLock.acquire(file).release();
  });
});
