import { describe, expect, it } from "vitest";
import { type Fingerprint, signatureOf } from "../../src/domain/healing/fingerprint.js";
import {
  healingDecision,
  pathSimilarity,
  rankCandidates,
  scoreCandidate,
  textSimilarity,
} from "../../src/domain/healing/score.js";
import { matchNodes, parseDescription } from "../../src/domain/locate/match.js";

const fp = (over: Partial<Fingerprint> = {}): Fingerprint => ({
  tag: "button",
  role: "button",
  name: "Sign in",
  text: "Sign in",
  id: "login-btn",
  classes: ["btn", "btn-primary"],
  attributes: { type: "submit" },
  domPath: "html>body>main>form>p>button",
  neighbours: ["Password"],
  box: { x: 100, y: 300, width: 80, height: 30 },
  ...over,
});

describe("healing scores", () => {
  it("scores the same element 1 and a different one low", () => {
    expect(scoreCandidate(fp(), fp()).score).toBe(1);
    const link = fp({
      tag: "a",
      role: "link",
      name: "Forgot password?",
      text: "Forgot password?",
      id: undefined,
      classes: [],
      attributes: { href: "/reset" },
      box: { x: 100, y: 500, width: 120, height: 20 },
    });
    expect(scoreCandidate(fp(), link).score).toBeLessThan(0.4);
  });

  it("forgives renamed ids, classes and labels when what the user sees stays", () => {
    const renamed = fp({
      id: "signin-button",
      classes: ["button", "button-main"],
      domPath: "html>body>main>form>div>button",
      neighbours: ["Sign in to Listly"],
      box: { x: 100, y: 120, width: 80, height: 30 },
    });
    const { score } = scoreCandidate(fp(), renamed);
    expect(score).toBeGreaterThan(0.8);
    expect(score).toBeLessThan(0.9);
  });

  it("maps confidence to the spec's decision bands, thresholds inclusive", () => {
    expect(healingDecision(0.95)).toBe("auto_commit");
    expect(healingDecision(0.9)).toBe("auto_commit");
    expect(healingDecision(0.89)).toBe("propose");
    expect(healingDecision(0.8)).toBe("propose");
    expect(healingDecision(0.79)).toBe("manual_review");
    expect(healingDecision(0.7)).toBe("manual_review");
    expect(healingDecision(0.69)).toBe("reject");
    expect(healingDecision(0.85, { autoCommit: 0.8, propose: 0.6, manualReview: 0.5 })).toBe("auto_commit");
  });

  it("lowers confidence when two candidates are nearly tied", () => {
    const alone = rankCandidates(fp(), [{ candidate: "a", fingerprint: fp({ id: "renamed-1" }) }]);
    expect(alone.confidence).toBe(alone.ranked[0]!.score);
    const tied = rankCandidates(fp(), [
      { candidate: "a", fingerprint: fp({ id: "renamed-1" }) },
      { candidate: "b", fingerprint: fp({ id: "renamed-2" }) },
    ]);
    expect(tied.ranked[0]!.score).toBeCloseTo(tied.ranked[1]!.score, 5);
    expect(tied.confidence).toBeCloseTo(tied.ranked[0]!.score - 0.1, 5);
  });

  it("compares text by bigrams and paths by longest common subsequence", () => {
    expect(textSimilarity("Email", "Email address")).toBeCloseTo(0.8, 5);
    expect(textSimilarity("Sign in", "sign in")).toBe(1);
    expect(textSimilarity("Save", "Delete")).toBeLessThan(0.2);
    expect(pathSimilarity("html>body>form>input", "html>body>form>div>input")).toBe(0.8);
    expect(signatureOf(fp())).toBe("button|button|Sign in|login-btn|html>body>main>form>p>button");
  });
});

describe("matching descriptions to the accessibility tree", () => {
  const node = (role: string, name: string, extra: Record<string, string> = {}) => ({
    role,
    name,
    text: role === "textbox" ? "" : name,
    tag: role === "textbox" ? "input" : role === "link" ? "a" : "button",
    attributes: extra,
    states: {},
  });
  const nodes = [
    node("heading", "Sign in to Listly"),
    node("textbox", "Email address", { placeholder: "you@example.com" }),
    node("button", "Sign in"),
    node("link", "Sign up"),
  ];

  it("reads role words out of a description", () => {
    expect(parseDescription("the Sign in button")).toEqual({ name: "Sign in", roles: ["button"] });
    expect(parseDescription("Email field").roles).toContain("textbox");
    expect(parseDescription('the "Save" link')).toEqual({ name: "Save", roles: ["link"] });
  });

  it("ranks by name, label-like attributes and role", () => {
    expect(matchNodes(nodes, "Sign in button")[0]!.node.name).toBe("Sign in");
    expect(matchNodes(nodes, "Email")[0]!.node.role).toBe("textbox");
    expect(matchNodes(nodes, "you@example.com")[0]!.node.role).toBe("textbox");
    expect(matchNodes(nodes, "Sign up link")[0]!.node.name).toBe("Sign up");
    expect(matchNodes(nodes, "Sign in", { interactive: true })[0]!.node.role).toBe("button");
  });

  it("takes a description that is an element's whole name as that name, role words and all", () => {
    const field = { ...nodes.find((n) => n.role === "textbox")!, name: "New item", attributes: {} };
    const item = { ...nodes.find((n) => n.role === "button")!, role: "listitem", name: "New", text: "New" };
    const ranked = matchNodes([item, field], "New item");
    expect(ranked[0]).toMatchObject({ node: { name: "New item", role: "textbox" }, score: 1 });
    // A role word still narrows when nothing is named by the whole description.
    expect(matchNodes(nodes, "Sign up link")[0]!.node.role).toBe("link");
  });
});
