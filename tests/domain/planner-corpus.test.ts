import { describe, expect, it } from "vitest";
import { rulePlanner, scoreSentence } from "../../src/bench/planner.js";
import { canonical, loadCorpus } from "../../src/bench/planner-corpus.js";
import { validatePlan } from "../../src/domain/plan/parse.js";

const corpus = loadCorpus();

describe("the planner corpus", () => {
  it("holds at least 300 sentences, each with its public source and either steps or a reason to refuse", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    for (const s of corpus) {
      expect(s.source, s.say).toMatch(/^[\w.-]+\/[\w.-]+ \S+/);
      expect(Boolean(s.expected) !== Boolean(s.refuse), s.say).toBe(true);
    }
  });

  it("lists each sentence once (the Gherkin keyword, case and quote style aside)", () => {
    const key = (say: string) =>
      say
        .replace(/^\s*(?:given|when|then|and|but|\*)\s+/i, "")
        .replace(/[.;!]+$/, "")
        .replace(/['`‘’“”]/g, '"')
        .replace(/\s+/g, " ")
        .toLowerCase();
    const seen = new Set<string>();
    const dups = corpus.filter((s) => {
      const k = key(s.say);
      if (seen.has(k)) return true;
      seen.add(k);
      return false;
    });
    expect(dups.map((s) => s.say)).toEqual([]);
  });

  it("expects only steps a plan accepts", () => {
    const steps = corpus.flatMap((s) => s.expected ?? []);
    expect(() =>
      validatePlan({
        name: "corpus",
        application_url: "http://app.test",
        test_steps: steps.map((st) => JSON.parse(JSON.stringify(st).replaceAll("{app}", "http://app.test"))),
      }),
    ).not.toThrow();
  });

  it("is read by the rule planner with no sentence misread", () => {
    const misread = corpus
      .map((s) => scoreSentence(s, rulePlanner))
      .filter((r) => r.outcome === "misread")
      .map((r) => `${r.sentence.say} -> ${canonical(r.got)}`);
    expect(misread).toEqual([]);
  });
});
