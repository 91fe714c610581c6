/**
 * Reads Gherkin feature files as Cucumber does, for the English keywords: Feature, Rule, Background,
 * Scenario (Example), Scenario Outline (Scenario Template) with Examples (Scenarios) tables, steps with their
 * data tables and doc strings, tags and comments. An outline becomes one scenario per example row.
 */

export interface GherkinStep {
  keyword: string;
  text: string;
  line: number;
  /** The step's data table, row by row. */
  table?: string[][];
  docString?: string;
}

export interface GherkinScenario {
  name: string;
  line: number;
  tags: string[];
  /** Background steps first, then the scenario's own. */
  steps: GherkinStep[];
}

export interface GherkinFeature {
  name: string;
  tags: string[];
  scenarios: GherkinScenario[];
}

export class GherkinError extends Error {
  override readonly name = "GherkinError";
  constructor(
    readonly source: string,
    readonly line: number,
    message: string,
  ) {
    super(`${source}:${line}: ${message}`);
  }
}

const STEP = /^(Given|When|Then|And|But|\*)\s+(.*)$/;
const HEADER =
  /^(Feature|Rule|Background|Scenario Outline|Scenario Template|Scenario|Example|Examples|Scenarios):\s*(.*)$/;

interface Block {
  kind: "background" | "scenario" | "outline";
  name: string;
  line: number;
  tags: string[];
  steps: GherkinStep[];
  examples: { header: string[]; rows: { cells: string[]; line: number }[]; tags: string[]; name: string }[];
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|").replace(/\\n/g, "\n").replace(/\\\\/g, "\\"));

export function parseGherkin(text: string, source = "feature"): GherkinFeature {
  const lines = text.split(/\r?\n/);
  const feature: GherkinFeature = { name: "", tags: [], scenarios: [] };
  let featureBackground: GherkinStep[] = [];
  let ruleBackground: GherkinStep[] = [];
  let inRule = false;
  let block: Block | undefined;
  let tags: string[] = [];
  let seenFeature = false;
  const finish = () => {
    if (!block) return;
    if (block.kind === "background") {
      if (inRule) ruleBackground = block.steps;
      else featureBackground = block.steps;
    } else emit(block);
    block = undefined;
  };
  const emit = (b: Block) => {
    const background = [...featureBackground, ...(inRule ? ruleBackground : [])];
    if (b.kind === "scenario") {
      feature.scenarios.push({
        name: b.name,
        line: b.line,
        tags: b.tags,
        steps: [...background, ...b.steps],
      });
      return;
    }
    if (b.examples.length === 0)
      throw new GherkinError(source, b.line, `Scenario Outline "${b.name}" has no Examples`);
    let n = 0;
    for (const ex of b.examples) {
      for (const row of ex.rows) {
        n++;
        const values = Object.fromEntries(ex.header.map((h, i) => [h, row.cells[i] ?? ""]));
        const fill = (s: string) => s.replace(/<([^<>]+)>/g, (m, k: string) => values[k] ?? m);
        const named = fill(b.name);
        feature.scenarios.push({
          name: named !== b.name ? named : `${b.name} (example ${n})`,
          line: row.line,
          tags: [...b.tags, ...ex.tags],
          steps: [
            ...background,
            ...b.steps.map((s) => ({
              ...s,
              text: fill(s.text),
              ...(s.table ? { table: s.table.map((r) => r.map(fill)) } : {}),
              ...(s.docString !== undefined ? { docString: fill(s.docString) } : {}),
            })),
          ],
        });
      }
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const at = i + 1;
    if (line === "" || (line.startsWith("#") && !/^#\s*language\s*:/.test(line))) continue;
    const language = /^#\s*language\s*:\s*(\S+)/.exec(line);
    if (language) {
      if (language[1]!.toLowerCase() !== "en")
        throw new GherkinError(
          source,
          at,
          `only English Gherkin keywords are read (# language: ${language[1]})`,
        );
      continue;
    }
    if (line.startsWith("@")) {
      tags.push(...line.split(/\s+/).filter((t) => t.startsWith("@")));
      continue;
    }
    const doc = /^("""|```)/.exec(line);
    if (doc) {
      const step = block?.steps.at(-1);
      if (!step) throw new GherkinError(source, at, "a doc string must follow a step");
      const indent = raw.indexOf(doc[1]!);
      const body: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== doc[1]; i++) body.push(lines[i]!.slice(indent));
      if (i >= lines.length) throw new GherkinError(source, at, "a doc string is not closed");
      step.docString = body.join("\n");
      continue;
    }
    if (line.startsWith("|")) {
      const ex = block?.kind === "outline" ? block.examples.at(-1) : undefined;
      if (ex) {
        if (ex.header.length === 0) ex.header = cells(line);
        else ex.rows.push({ cells: cells(line), line: at });
        continue;
      }
      const step = block?.steps.at(-1);
      if (!step) throw new GherkinError(source, at, "a table must follow a step or an Examples line");
      step.table = [...(step.table ?? []), cells(line)];
      continue;
    }
    const header = HEADER.exec(line);
    if (header) {
      const [, keyword, name] = header;
      if (keyword === "Feature") {
        if (seenFeature) throw new GherkinError(source, at, "a file holds one Feature");
        seenFeature = true;
        feature.name = name!.trim();
        feature.tags = tags;
      } else if (keyword === "Examples" || keyword === "Scenarios") {
        if (block?.kind !== "outline")
          throw new GherkinError(source, at, "Examples belong to a Scenario Outline");
        block.examples.push({ header: [], rows: [], tags, name: name!.trim() });
      } else {
        finish();
        if (keyword === "Rule") {
          inRule = true;
          ruleBackground = [];
        } else {
          const kind =
            keyword === "Background"
              ? "background"
              : /Outline|Template/.test(keyword!)
                ? "outline"
                : "scenario";
          block = {
            kind,
            name: name!.trim(),
            line: at,
            tags: [...feature.tags, ...tags],
            steps: [],
            examples: [],
          };
        }
      }
      tags = [];
      continue;
    }
    const step = STEP.exec(line);
    if (step) {
      if (!block) throw new GherkinError(source, at, "a step must be inside a Scenario or a Background");
      block.steps.push({ keyword: step[1]!, text: step[2]!.trim(), line: at });
      continue;
    }
    // Free text under Feature, Rule or a scenario's name line is its description: not a step.
    if (!block || block.steps.length === 0) continue;
    throw new GherkinError(
      source,
      at,
      `not a step (a step starts with Given, When, Then, And, But or *): ${line}`,
    );
  }
  finish();
  if (!seenFeature && feature.scenarios.length === 0)
    throw new GherkinError(source, 1, "no Feature and no Scenario");
  return feature;
}

/** True when the text is a feature (it has a Feature or Scenario line), not plain requirement sentences. */
export const looksLikeGherkin = (text: string) =>
  /^\s*(?:Feature|Scenario|Scenario Outline|Scenario Template|Background|Example):/m.test(text);
