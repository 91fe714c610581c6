export interface BlobRef {
  hash: string;
  size: number;
}

/** Artifacts (screenshots, snapshots) by content: events hold the sha256, never the bytes. */
export interface BlobStore {
  put(data: Buffer | string): Promise<BlobRef>;
  get(hash: string): Promise<Buffer>;
  has(hash: string): Promise<boolean>;
}

export class BlobNotFoundError extends Error {
  override readonly name = "BlobNotFoundError";
  constructor(readonly hash: string) {
    super(`no blob with hash ${hash}`);
  }
}
