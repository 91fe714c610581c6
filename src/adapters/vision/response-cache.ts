import { createHash } from "node:crypto";

/**
 * Model answers keyed by image hash, operation, prompt and model (spec §4.4: vision responses for 24 hours).
 * In-process, least recently used first out. Only valid answers are stored, so a malformed one is asked again.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { value: unknown; expires: number }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs = 24 * 3600_000,
    private readonly capacity = 500,
    private readonly now: () => number = Date.now,
  ) {}

  static key(parts: { images: Buffer[]; operation: string; prompt: string; model: string }): string {
    const hash = createHash("sha256");
    for (const image of parts.images) hash.update(createHash("sha256").update(image).digest());
    return hash.update(`\0${parts.model}\0${parts.operation}\0${parts.prompt}`).digest("hex");
  }

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expires <= this.now()) {
      if (entry) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.value as T;
  }

  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
