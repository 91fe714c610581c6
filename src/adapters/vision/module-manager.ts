import {
  type BreakerConfig,
  type BreakerState,
  DEFAULT_BREAKER,
  initialBreaker,
  onHealth,
  onOutcome,
  route,
  type VisionEvent,
} from "../../domain/vision/breaker.js";
import {
  AdapterError,
  type AdapterHealth,
  type BoundingBox,
  type ElementLocation,
  type LifecycleState,
  type OCRResult,
  type Screen,
  type ScreenComparison,
  type VisionAdapter,
  type VisualStateVerification,
} from "../../domain/vision/model.js";

export interface ModuleManagerOptions {
  primary: VisionAdapter;
  fallback?: VisionAdapter;
  breaker?: Partial<BreakerConfig>;
  /** Health checks this often; 0 turns periodic checks off (spec: 60 s). */
  healthIntervalMs?: number;
  /** Where switches and health changes go: the event log's `adapters-vision` stream. */
  record?: (events: VisionEvent[]) => Promise<void>;
  onRecordError?: (error: unknown) => void;
  now?: () => number;
}

export interface VisionStatus {
  active: string;
  primary: string;
  fallback?: string;
  circuit: BreakerState["circuit"];
  error_rate: number;
  consecutive_failures: number;
  switches: number;
  health: BreakerState["health"];
  adapters: { name: string; model: string; state: LifecycleState }[];
  last_error?: string;
}

// Only the adapter's own failures count against it: not finding an element, or bad input, is an answer.
const countsAgainst = (error: unknown) => error instanceof AdapterError;

/**
 * The hot-swappable module manager for vision: one VisionAdapter to its callers, routing each call to the
 * primary or, while the circuit is open, the fallback. A call the primary fails is answered by the fallback
 * at once, so a switch costs the caller no error. Decisions are the pure functions of domain/vision/breaker.
 */
export class VisionModuleManager implements VisionAdapter {
  readonly name = "module-manager";
  private breaker: BreakerState;
  private readonly config: BreakerConfig;
  private readonly byName = new Map<string, VisionAdapter>();
  private timer?: NodeJS.Timeout;
  private recording: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: ModuleManagerOptions) {
    this.config = { ...DEFAULT_BREAKER, ...options.breaker };
    this.now = options.now ?? Date.now;
    this.byName.set(options.primary.name, options.primary);
    if (options.fallback) {
      if (options.fallback.name === options.primary.name)
        throw new Error(`fallback adapter must differ from the primary (both are ${options.primary.name})`);
      this.byName.set(options.fallback.name, options.fallback);
    }
    this.breaker = initialBreaker(options.primary.name, options.fallback?.name);
  }

  get model(): string {
    return this.active().model;
  }

  get state(): LifecycleState {
    return this.active().state;
  }

  private active(): VisionAdapter {
    return this.byName.get(route(this.breaker, this.now(), this.config).adapter)!;
  }

  status(): VisionStatus {
    const b = this.breaker;
    return {
      active: route(b, this.now(), this.config).adapter,
      primary: b.primary,
      ...(b.fallback ? { fallback: b.fallback } : {}),
      circuit: b.circuit,
      error_rate: b.outcomes.length ? b.outcomes.filter((ok) => !ok).length / b.outcomes.length : 0,
      consecutive_failures: b.consecutiveFailures,
      switches: b.switches,
      health: b.health,
      adapters: [...this.byName.values()].map((a) => ({ name: a.name, model: a.model, state: a.state })),
      ...(b.lastError ? { last_error: b.lastError } : {}),
    };
  }

  private apply(result: { state: BreakerState; events: VisionEvent[] }) {
    this.breaker = result.state;
    if (result.events.length && this.options.record) {
      const record = this.options.record;
      this.recording = this.recording
        .then(() => record(result.events))
        .catch((error) => this.options.onRecordError?.(error));
    }
  }

  /** Resolves when every switch and health change so far is in the log. */
  flushed(): Promise<void> {
    return this.recording;
  }

  async initialize(): Promise<void> {
    await Promise.all(
      [...this.byName.values()].map((a) =>
        a.initialize().catch((error) => {
          // A primary that cannot start is a failed health check: the fallback serves from the start.
          if (a.name === this.breaker.primary && this.breaker.fallback) return;
          throw error;
        }),
      ),
    );
    await this.checkHealth();
    const interval = this.options.healthIntervalMs ?? 60_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.checkHealth().catch(() => {}), interval);
      this.timer.unref();
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.byName.values()].map((a) => a.shutdown()));
    await this.recording;
  }

  /** Checks every adapter now; the circuit follows the primary's health. */
  async checkHealth(): Promise<Record<string, AdapterHealth>> {
    const results: Record<string, AdapterHealth> = {};
    for (const adapter of this.byName.values()) {
      const health = await adapter.healthCheck();
      results[adapter.name] = health;
      this.apply(onHealth(this.breaker, adapter.name, health, this.now()));
    }
    return results;
  }

  async healthCheck(): Promise<AdapterHealth> {
    const all = await this.checkHealth();
    const active = all[this.status().active]!;
    return { ...active, details: `${this.status().active}: ${active.details}` };
  }

  private async call<T>(operation: (adapter: VisionAdapter) => Promise<T>): Promise<T> {
    const { adapter: name, probe } = route(this.breaker, this.now(), this.config);
    const adapter = this.byName.get(name)!;
    try {
      const value = await operation(adapter);
      this.apply(onOutcome(this.breaker, { adapter: name, ok: true, probe }, this.now(), this.config));
      return value;
    } catch (error) {
      if (!countsAgainst(error)) {
        this.apply(onOutcome(this.breaker, { adapter: name, ok: true, probe }, this.now(), this.config));
        throw error;
      }
      this.apply(
        onOutcome(
          this.breaker,
          { adapter: name, ok: false, probe, error: (error as Error).message },
          this.now(),
          this.config,
        ),
      );
      const fallback = this.options.fallback;
      if (name !== this.breaker.primary || !fallback) throw error;
      return operation(fallback);
    }
  }

  describeScreen(screen: Screen, context?: string): Promise<string> {
    return this.call((a) => a.describeScreen(screen, context));
  }
  findElement(screen: Screen, prompt: string, context?: string): Promise<ElementLocation> {
    return this.call((a) => a.findElement(screen, prompt, context));
  }
  findMultipleElements(screen: Screen, prompt: string, maxResults?: number): Promise<ElementLocation[]> {
    return this.call((a) => a.findMultipleElements(screen, prompt, maxResults));
  }
  ocr(screen: Screen, region?: BoundingBox, language?: string): Promise<OCRResult[]> {
    return this.call((a) => a.ocr(screen, region, language));
  }
  compareScreens(a: Screen, b: Screen, ignoreRegions?: BoundingBox[]): Promise<ScreenComparison> {
    return this.call((x) => x.compareScreens(a, b, ignoreRegions));
  }
  verifyVisualState(screen: Screen, expectedState: string): Promise<VisualStateVerification> {
    return this.call((a) => a.verifyVisualState(screen, expectedState));
  }
  embeddingModel(): Promise<string> {
    return this.active().embeddingModel();
  }
  generateEmbedding(screen: Screen, region?: BoundingBox): Promise<Float32Array> {
    return this.call((a) => a.generateEmbedding(screen, region));
  }
}
