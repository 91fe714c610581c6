import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml, stringify } from "yaml";

/**
 * `helm template` for the subset of Go templates and Sprig that TestDriver's chart uses, with Go's
 * semantics: trim markers, truthiness (false, 0, "", nil, empty map or list), if/else if/else, with, range,
 * define/include, variables, pipelines. No helm binary runs on these machines; an unsupported construct is
 * an error, never a silent pass.
 */

type Value = unknown;
type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; expr: string }
  | { kind: "if"; branches: { cond: string | null; body: Node[] }[] }
  | { kind: "with"; expr: string; body: Node[]; otherwise: Node[] }
  | { kind: "range"; expr: string; key?: string; val?: string; body: Node[] }
  | { kind: "define"; name: string; body: Node[] };

function tokenize(src: string): ({ t: "text"; v: string } | { t: "act"; v: string })[] {
  const out: ({ t: "text"; v: string } | { t: "act"; v: string })[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open < 0) {
      out.push({ t: "text", v: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    const close = src.indexOf("}}", open);
    if (close < 0) throw new Error("unclosed {{");
    let inner = src.slice(open + 2, close);
    if (inner.startsWith("-")) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    let next = close + 2;
    if (inner.endsWith("-")) {
      inner = inner.slice(0, -1);
      const m = /^\s*/.exec(src.slice(next))!;
      next += m[0].length;
    }
    out.push({ t: "text", v: text });
    inner = inner.trim();
    if (!inner.startsWith("/*")) out.push({ t: "act", v: inner });
    i = next;
  }
  return out;
}

function parseNodes(
  tokens: ReturnType<typeof tokenize>,
  pos: { i: number },
  stops: string[],
): { nodes: Node[]; stop: string } {
  const nodes: Node[] = [];
  while (pos.i < tokens.length) {
    const tok = tokens[pos.i++]!;
    if (tok.t === "text") {
      if (tok.v) nodes.push({ kind: "text", text: tok.v });
      continue;
    }
    const word = tok.v.split(/\s+/)[0]!;
    if (stops.includes(word)) return { nodes, stop: tok.v };
    if (word === "if") {
      const branches: { cond: string | null; body: Node[] }[] = [];
      let cond: string | null = tok.v.slice(2).trim();
      for (;;) {
        const r = parseNodes(tokens, pos, ["else", "end"]);
        branches.push({ cond, body: r.nodes });
        if (r.stop === "end") break;
        const rest = r.stop.slice(4).trim();
        cond = rest.startsWith("if ") ? rest.slice(3).trim() : null;
      }
      nodes.push({ kind: "if", branches });
    } else if (word === "with") {
      const r = parseNodes(tokens, pos, ["else", "end"]);
      const otherwise = r.stop === "end" ? [] : parseNodes(tokens, pos, ["end"]).nodes;
      nodes.push({ kind: "with", expr: tok.v.slice(4).trim(), body: r.nodes, otherwise });
    } else if (word === "range") {
      let expr = tok.v.slice(5).trim();
      let key: string | undefined;
      let val: string | undefined;
      const m = /^(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*(.+)$/.exec(expr);
      if (m) {
        if (m[2]) [key, val] = [m[1], m[2]];
        else val = m[1];
        expr = m[3]!;
      }
      nodes.push({ kind: "range", expr, key, val, body: parseNodes(tokens, pos, ["end"]).nodes });
    } else if (word === "define") {
      const name = JSON.parse(tok.v.slice(6).trim());
      nodes.push({ kind: "define", name, body: parseNodes(tokens, pos, ["end"]).nodes });
    } else if (word === "else" || word === "end") {
      throw new Error(`unexpected {{ ${tok.v} }}`);
    } else nodes.push({ kind: "action", expr: tok.v });
  }
  if (stops.length) throw new Error(`missing {{ end }} (wanted ${stops.join("/")})`);
  return { nodes, stop: "" };
}

const truthy = (v: Value) =>
  !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === "" ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0)
  );

const toYaml = (v: Value) =>
  v === undefined || v === null ? "null" : stringify(v, { lineWidth: 0 }).replace(/\n$/, "");
const indent = (n: number, s: string) =>
  s
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

interface Scope {
  dot: Value;
  root: Value;
  vars: Map<string, Value>;
}

class Renderer {
  readonly defines = new Map<string, Node[]>();

  private splitArgs(expr: string): string[] {
    const parts: string[] = [];
    let cur = "";
    let depth = 0;
    let quote = false;
    for (let i = 0; i < expr.length; i++) {
      const c = expr[i]!;
      if (quote) {
        cur += c;
        if (c === "\\") cur += expr[++i];
        else if (c === '"') quote = false;
      } else if (c === '"') {
        quote = true;
        cur += c;
      } else if (c === "(") {
        depth++;
        cur += c;
      } else if (c === ")") {
        depth--;
        cur += c;
      } else if (/\s/.test(c) && depth === 0) {
        if (cur) parts.push(cur);
        cur = "";
      } else cur += c;
    }
    if (cur) parts.push(cur);
    return parts;
  }

  private splitPipe(expr: string): string[] {
    const out: string[] = [];
    let cur = "";
    let depth = 0;
    let quote = false;
    for (const c of expr) {
      if (quote) {
        cur += c;
        if (c === '"') quote = false;
        continue;
      }
      if (c === '"') quote = true;
      if (c === "(") depth++;
      if (c === ")") depth--;
      if (c === "|" && depth === 0) {
        out.push(cur.trim());
        cur = "";
      } else cur += c;
    }
    out.push(cur.trim());
    return out;
  }

  private term(t: string, s: Scope): Value {
    if (t.startsWith("(") && t.endsWith(")")) return this.pipeline(t.slice(1, -1), s);
    if (t.startsWith('"')) return JSON.parse(t);
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (t === "nil") return null;
    const path = (base: Value, rest: string) =>
      rest
        .split(".")
        .filter(Boolean)
        .reduce<Value>(
          (o, k) => (o === null || o === undefined ? undefined : (o as Record<string, Value>)[k]),
          base,
        );
    if (t === ".") return s.dot;
    if (t.startsWith("$")) {
      const [name, ...rest] = t.split(".");
      const base = name === "$" ? s.root : s.vars.get(name!);
      if (name !== "$" && !s.vars.has(name!)) throw new Error(`undefined variable ${name}`);
      return path(base, rest.join("."));
    }
    if (t.startsWith(".")) return path(s.dot, t);
    throw new Error(`unsupported term ${t}`);
  }

  private call(fn: string, args: Value[], s: Scope): Value {
    const str = (v: Value) => (v === undefined || v === null ? "" : String(v));
    switch (fn) {
      case "quote":
        return args.map((a) => JSON.stringify(str(a))).join(" ");
      case "squote":
        return `'${str(args[0])}'`;
      case "default":
        return truthy(args[1]) ? args[1] : args[0];
      case "required":
        if (!truthy(args[1])) throw new Error(String(args[0]));
        return args[1];
      case "toYaml":
        return toYaml(args[0]);
      case "nindent":
        return `\n${indent(Number(args[0]), str(args[1]))}`;
      case "indent":
        return indent(Number(args[0]), str(args[1]));
      case "include": {
        const body = this.defines.get(String(args[0]));
        if (!body) throw new Error(`no template ${args[0]}`);
        return this.nodes(body, { dot: args[1], root: s.root, vars: new Map() });
      }
      case "printf": {
        let i = 1;
        return str(args[0]).replace(/%[sdv]/g, () => str(args[i++]));
      }
      case "trunc":
        return str(args[1]).slice(0, Number(args[0]));
      case "trimSuffix":
        return str(args[1]).endsWith(str(args[0]))
          ? str(args[1]).slice(0, -str(args[0]).length || undefined)
          : str(args[1]);
      case "upper":
        return str(args[0]).toUpperCase();
      case "lower":
        return str(args[0]).toLowerCase();
      case "toString":
        return str(args[0]);
      case "b64enc":
        return Buffer.from(str(args[0])).toString("base64");
      case "eq":
        return args.slice(1).some((a) => a === args[0]);
      case "ne":
        return args[0] !== args[1];
      case "not":
        return !truthy(args[0]);
      case "and":
        return args.every(truthy) ? args.at(-1) : args.find((a) => !truthy(a));
      case "or":
        return args.find(truthy) ?? args.at(-1);
      case "empty":
        return !truthy(args[0]);
      case "hasKey":
        return Object.hasOwn((args[0] ?? {}) as object, String(args[1]));
      default:
        throw new Error(`unsupported function ${fn}`);
    }
  }

  private command(cmd: string, s: Scope, piped?: { value: Value }): Value {
    const parts = this.splitArgs(cmd);
    const head = parts[0]!;
    const isFn = /^[a-zA-Z]\w*$/.test(head) && !["true", "false", "nil"].includes(head);
    if (!isFn) {
      if (parts.length > 1 || piped) throw new Error(`cannot call ${head}`);
      return this.term(head, s);
    }
    const args = parts.slice(1).map((p) => this.term(p, s));
    if (piped) args.push(piped.value);
    return this.call(head, args, s);
  }

  pipeline(expr: string, s: Scope): Value {
    const assign = /^(\$\w+)\s*:=\s*(.+)$/.exec(expr);
    if (assign) {
      s.vars.set(assign[1]!, this.pipeline(assign[2]!, s));
      return "";
    }
    let value: { value: Value } | undefined;
    for (const cmd of this.splitPipe(expr)) value = { value: this.command(cmd, s, value) };
    return value!.value;
  }

  nodes(nodes: Node[], s: Scope): string {
    let out = "";
    for (const n of nodes) {
      if (n.kind === "text") out += n.text;
      else if (n.kind === "define") this.defines.set(n.name, n.body);
      else if (n.kind === "action") {
        const v = this.pipeline(n.expr, s);
        out += v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      } else if (n.kind === "if") {
        const branch = n.branches.find((b) => b.cond === null || truthy(this.pipeline(b.cond, s)));
        if (branch) out += this.nodes(branch.body, s);
      } else if (n.kind === "with") {
        const v = this.pipeline(n.expr, s);
        out += truthy(v) ? this.nodes(n.body, { ...s, dot: v }) : this.nodes(n.otherwise, s);
      } else if (n.kind === "range") {
        const v = this.pipeline(n.expr, s);
        const entries: [Value, Value][] = Array.isArray(v)
          ? v.map((x, i) => [i, x])
          : v && typeof v === "object"
            ? Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b))
            : [];
        for (const [k, x] of entries) {
          const vars = new Map(s.vars);
          if (n.key) vars.set(n.key, k);
          if (n.val) vars.set(n.val, x);
          out += this.nodes(n.body, { ...s, dot: x, vars });
        }
      }
    }
    return out;
  }

  parse(src: string): Node[] {
    return parseNodes(tokenize(src), { i: 0 }, []).nodes;
  }
}

function merge(base: Value, over: Value): Value {
  if (
    over &&
    typeof over === "object" &&
    !Array.isArray(over) &&
    base &&
    typeof base === "object" &&
    !Array.isArray(base)
  ) {
    const out: Record<string, Value> = { ...(base as Record<string, Value>) };
    for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

/** Renders a chart directory like `helm template NAME CHART -f VALUES`: one string per template file. */
export function helmTemplate(
  chartDir: string,
  options: {
    release?: string;
    namespace?: string;
    valuesFiles?: string[];
    /** Values over the files', as `--set` gives them. */
    values?: Record<string, unknown>;
  } = {},
): Map<string, string> {
  const chart = parseYaml(readFileSync(join(chartDir, "Chart.yaml"), "utf8"));
  let values = parseYaml(readFileSync(join(chartDir, "values.yaml"), "utf8"));
  for (const f of options.valuesFiles ?? []) values = merge(values, parseYaml(readFileSync(f, "utf8")));
  if (options.values) values = merge(values, options.values);
  const root = {
    Values: values,
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Release: {
      Name: options.release ?? "testdriver",
      Namespace: options.namespace ?? "testdriver",
      Service: "Helm",
    },
  };
  const r = new Renderer();
  const dir = join(chartDir, "templates");
  const files = readdirSync(dir).sort();
  for (const f of files.filter((x) => x.endsWith(".tpl")))
    r.nodes(r.parse(readFileSync(join(dir, f), "utf8")), { dot: root, root, vars: new Map() });
  const out = new Map<string, string>();
  for (const f of files.filter((x) => x.endsWith(".yaml"))) {
    out.set(f, r.nodes(r.parse(readFileSync(join(dir, f), "utf8")), { dot: root, root, vars: new Map() }));
  }
  return out;
}
