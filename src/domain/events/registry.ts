import type { z } from "zod";

/**
 * One event type: its current schema and version, and the upcasters that lift stored data of older
 * versions. `upcasters[n]` turns data of version n into data of version n + 1.
 */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  type: Type;
  version: number;
  schema: Schema;
  upcasters?: Record<number, Upcaster>;
}

/** What an upcaster may read besides the data: the envelope the store kept with it. */
export interface UpcastContext {
  recordedAt: Date;
}
export type Upcaster = (data: unknown, context: UpcastContext) => unknown;

export type EventDataOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;

export function defineEvent<Type extends string, Schema extends z.ZodType>(
  definition: EventDefinition<Type, Schema>,
): EventDefinition<Type, Schema> {
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(
      `event ${definition.type}: version must be a whole number from 1, got ${definition.version}`,
    );
  }
  for (let v = 1; v < definition.version; v++) {
    if (!definition.upcasters?.[v]) {
      throw new Error(
        `event ${definition.type}: version ${definition.version} needs an upcaster from version ${v}`,
      );
    }
  }
  return definition;
}

export class EventValidationError extends Error {
  override readonly name = "EventValidationError";
  constructor(
    readonly eventType: string,
    readonly issues: { path: string; message: string }[],
    readonly index?: number,
  ) {
    const where = index === undefined ? "" : ` (event #${index})`;
    super(`invalid ${eventType} event${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return ["data", ...path.map(String)].join(".");
}

/** The set of event types a store accepts. Validates on append and upcasts on read. */
export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();

  constructor(definitions: Iterable<EventDefinition> = []) {
    for (const d of definitions) this.register(d);
  }

  register(definition: EventDefinition): this {
    if (this.definitions.has(definition.type)) {
      throw new Error(`event type ${definition.type} is registered twice`);
    }
    this.definitions.set(definition.type, definition);
    return this;
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }

  /** Checks data against the current schema; returns the parsed data and the version it is stored under. */
  validate(type: string, data: unknown, index?: number): { data: unknown; schemaVersion: number } {
    const definition = this.definitions.get(type);
    if (!definition) {
      throw new EventValidationError(
        type,
        [{ path: "type", message: `unknown event type; known types: ${this.types().join(", ") || "none"}` }],
        index,
      );
    }
    const result = definition.schema.safeParse(data);
    if (!result.success) {
      throw new EventValidationError(
        type,
        result.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
        index,
      );
    }
    return { data: result.data, schemaVersion: definition.version };
  }

  /** Lifts stored data to the current version. Unknown types pass through untouched: readers may be older. */
  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
    context: UpcastContext,
  ): { data: unknown; schemaVersion: number } {
    const definition = this.definitions.get(type);
    if (!definition || schemaVersion >= definition.version) return { data, schemaVersion };
    let current = data;
    for (let v = schemaVersion; v < definition.version; v++) {
      const up = definition.upcasters?.[v];
      if (!up) throw new Error(`event ${type}: no upcaster from version ${v}`);
      current = up(current, context);
    }
    return { data: current, schemaVersion: definition.version };
  }
}
