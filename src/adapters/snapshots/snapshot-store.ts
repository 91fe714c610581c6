import type { SnapshotStore as SnapshotPort, StateSnapshot } from "../../ports/page.js";
import type { BlobStore } from "../blobs/fs-blob-store.js";

/**
 * Keeps snapshots as JSON blobs, by content. Which snapshot a run took when is the log's business
 * (SnapshotCaptured), indexed by the snapshot_index projection.
 */
export class SnapshotStore implements SnapshotPort {
  constructor(private readonly blobs: BlobStore) {}

  /** Stores the snapshot's JSON by content and returns its hash. */
  async put(snapshot: StateSnapshot): Promise<string> {
    return (await this.blobs.put(JSON.stringify(snapshot))).hash;
  }

  async load(hash: string): Promise<StateSnapshot> {
    return JSON.parse((await this.blobs.get(hash)).toString("utf8")) as StateSnapshot;
  }
}
