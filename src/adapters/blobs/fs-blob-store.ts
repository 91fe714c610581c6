import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { BlobNotFoundError, type BlobRef, type BlobStore } from "../../ports/blobs.js";

export { BlobNotFoundError, type BlobRef, type BlobStore } from "../../ports/blobs.js";

const HASH = /^[0-9a-f]{64}$/;

/** Files under `root/sha256/ab/cd/<hash>`, written atomically (temporary file, then rename). */
export class FsBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(hash: string): string {
    if (!HASH.test(hash)) throw new TypeError(`not a sha256 hash: ${JSON.stringify(hash)}`);
    return join(this.root, "sha256", hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  async put(data: Buffer | string): Promise<BlobRef> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const hash = createHash("sha256").update(bytes).digest("hex");
    const path = this.pathOf(hash);
    if (!(await this.has(hash))) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, path);
    }
    return { hash, size: bytes.length };
  }

  async get(hash: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlobNotFoundError(hash);
      throw error;
    }
  }

  async has(hash: string): Promise<boolean> {
    try {
      await stat(this.pathOf(hash));
      return true;
    } catch {
      return false;
    }
  }
}
