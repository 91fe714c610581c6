import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Which folder of src/ may import which: dependencies point inward, to the domain and the ports. Edges (the
 * CLI, the HTTP API, MCP, the console, the composition root, benches, the demo) may use anything.
 */
const RULES: Record<string, string[]> = {
  domain: ["domain"],
  ports: ["ports"],
  commands: ["commands", "domain", "ports"],
  engine: ["engine", "domain", "ports", "commands", "projections"],
  // The read side writes SQL: the log's store and the SQL helpers are its own infrastructure.
  projections: ["projections", "domain", "ports", "web", "adapters/eventstore", "adapters/sql"],
  adapters: ["adapters", "domain", "ports", "config"],
  relay: ["relay", "domain", "ports", "adapters/eventstore", "adapters/sql"],
  analytics: ["analytics", "domain", "ports"],
  config: ["config", "domain"],
  web: ["web", "domain", "ports"],
};

const SRC = join(import.meta.dirname, "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of a file, as a path inside src/ (`engine/engine.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((s) => relative(SRC, normalize(join(dirname(file), s))).replace(/\.js$/, ".ts"));
}

/** Whether `to` lies in the folder `rule` names (a top folder such as "engine", or "adapters/sql"). */
const within = (to: string, rule: string) => to.startsWith(`${rule}/`);
const allowed = (from: string, to: string) => {
  const rules = RULES[from.split("/")[0]!];
  return !rules || rules.some((rule) => within(to, rule));
};

const files = sources(SRC).map((f) => relative(SRC, f));
const graph = new Map(files.map((f) => [f, importsOf(join(SRC, f))]));

/** Strongly connected components of more than one file (or a file importing itself): import cycles. */
function cycles(): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        on.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return found;
}

describe("the source's boundaries", () => {
  it("each folder imports only what its rule allows", () => {
    const broken = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => !allowed(from, to)).map((to) => `${from} → ${to}`),
    );
    expect(broken).toEqual([]);
  });

  it("has no import cycles", () => {
    expect(cycles()).toEqual([]);
  });

  it("keeps every file to 300 lines at most", () => {
    // Lines as an editor counts them: the newline that ends the last line starts no line of its own.
    const linesOf = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    const long = files
      .map((f) => [f, linesOf(readFileSync(join(SRC, f), "utf8"))] as const)
      .filter(([, lines]) => lines > 300)
      .map(([f, lines]) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });

  it("knows a rule for every folder of src/ but the edges", () => {
    const edges = ["cli", "http", "mcp", "bench", "demo", "runtime.ts", "logger.ts", "version.ts", "types"];
    const tops = [...new Set(files.map((f) => f.split("/")[0]!))];
    expect(tops.filter((t) => !RULES[t] && !edges.includes(t))).toEqual([]);
  });
});
