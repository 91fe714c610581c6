import type { BlobStore } from "../blobs/fs-blob-store.js";
import type { StateSnapshot } from "../browser/snapshot.js";

/**
 * Keeps snapshots as JSON blobs, by content. Which snapshot a run took when is the log's business
 * (SnapshotCaptured), indexed by the snapshot_index projection.
 */
export class SnapshotStore {
  constructor(private readonly blobs: BlobStore) {}

  /** Stores the snapshot's JSON by content and returns its hash. */
  async put(snapshot: StateSnapshot): Promise<string> {
    return (await this.blobs.put(JSON.stringify(snapshot))).hash;
  }

  async load(hash: string): Promise<StateSnapshot> {
    return JSON.parse((await this.blobs.get(hash)).toString("utf8")) as StateSnapshot;
  }
}
