import { describe, expect, it } from "vitest";
import { featuresOf, roleClass, urlStem } from "../../src/domain/healing/features.js";
import type { Fingerprint } from "../../src/domain/healing/fingerprint.js";
import { fitModel } from "../../src/domain/healing/fit.js";
import { choiceProbabilities, rankWithModel } from "../../src/domain/healing/model.js";

const fp = (over: Partial<Fingerprint> = {}): Fingerprint => ({
  tag: "button",
  role: "button",
  name: "Sign in",
  text: "Sign in",
  classes: [],
  attributes: {},
  domPath: "html>body>main>form>button",
  neighbours: [],
  box: { x: 100, y: 300, width: 80, height: 30 },
  ...over,
});
const page = (...fps: Fingerprint[]) => fps.map((fingerprint, i) => ({ candidate: i, fingerprint }));

describe("the healing model", () => {
  it("finds a link rewritten in place as a button, though tag, role, id, classes and href all changed", () => {
    const recorded = fp({
      tag: "a",
      role: "link",
      name: "Explore",
      text: "Explore",
      id: "explore",
      classes: ["nav-link"],
      attributes: { href: "/explore" },
      domPath: "html>body>nav>a",
      neighbours: ["Home", "Pricing"],
      box: { x: 100, y: 10, width: 80, height: 30 },
    });
    const button = (name: string, x: number, neighbours: string[]) =>
      fp({
        name,
        text: name,
        domPath: "html>body>nav>button",
        neighbours,
        box: { x, y: 10, width: 70, height: 30 },
      });
    const { ranked, confidence } = rankWithModel(
      { fingerprint: recorded, description: "Explore" },
      page(
        button("Home", 20, ["Explore"]),
        button("Explore", 100, ["Home", "Pricing"]),
        button("Pricing", 180, ["Explore"]),
      ),
    );
    expect(ranked[0]!.candidate).toBe(1);
    expect(confidence).toBeGreaterThan(0.9);
  });

  it("is not sure when the element is gone and only unrelated elements remain", () => {
    const recorded = fp({ name: "Delete account", text: "Delete account", id: "delete-account" });
    const { confidence, removed } = rankWithModel(
      { fingerprint: recorded, description: "Delete account" },
      page(
        fp({ name: "Sign out", text: "Sign out", box: { x: 600, y: 20, width: 60, height: 30 } }),
        fp({
          tag: "a",
          role: "link",
          name: "Settings",
          text: "Settings",
          box: { x: 500, y: 20, width: 60, height: 30 },
        }),
      ),
    );
    expect(confidence).toBeLessThan(0.7);
    expect(removed).toBeGreaterThan(confidence);
  });

  it("does not pick between two look-alikes with confidence", () => {
    const recorded = fp({ name: "Delete", text: "Delete", domPath: "html>body>ul>li>button" });
    const twin = (y: number) =>
      fp({
        name: "Delete",
        text: "Delete",
        domPath: "html>body>ul>li>button",
        box: { x: 100, y, width: 80, height: 30 },
      });
    const { confidence } = rankWithModel({ fingerprint: recorded }, page(twin(500), twin(540)));
    expect(confidence).toBeLessThan(0.8);
  });

  it("finds a nameless control by the step's description when nothing else is known", () => {
    const ranked = rankWithModel(
      { description: "Subscribe" },
      page(
        fp({ name: "", text: "", attributes: { title: "Subscribe" } }),
        fp({ name: "Unsubscribe later", text: "" }),
        fp({ name: "Home", text: "Home" }),
      ),
    ).ranked;
    expect(ranked[0]!.candidate).toBe(0);
  });

  it("treats links, buttons and menu items as one kind, and text fields, search boxes and combo boxes as another", () => {
    expect(roleClass("link")).toBe(roleClass("button"));
    expect(roleClass("menuitem")).toBe(roleClass("button"));
    expect(roleClass("searchbox")).toBe(roleClass("textbox"));
    expect(roleClass("combobox")).toBe(roleClass("textbox"));
    expect(roleClass("checkbox")).not.toBe(roleClass("button"));
  });

  it("compares addresses by their path, not their tracking parameters or host", () => {
    expect(urlStem("https://www.adobe.com/creativecloud.html?promoid=X&mv=other")).toBe(
      "/creativecloud.html",
    );
    const a = fp({ tag: "a", role: "link", attributes: { href: "https://a.com/plans?x=1" } });
    const b = fp({ tag: "a", role: "link", attributes: { href: "https://web.archive.org/plans?y=2" } });
    const i = 9; // "href" in FEATURES
    expect(featuresOf({ fingerprint: a }, b)[i]).toBe(1);
  });

  it("keeps a single-page app's hash route as part of the address, and finds no address in a bare '#'", () => {
    // Swagger UI 2.x links an operation as "#!/pet/addPet"; 5.x as "#/pet/addPet".
    expect(urlStem("#!/pet/addPet")).toBe(urlStem("#/pet/addPet"));
    expect(urlStem("#/pet/addPet")).not.toBe(urlStem("#/pet/updatePet"));
    expect(urlStem("https://a.com/app/#/active?x=1")).toBe("/app#/active");
    const i = 9; // "href" in FEATURES
    const link = (href: string) => fp({ tag: "a", role: "link", attributes: { href } });
    expect(featuresOf({ fingerprint: link("#!/pet/addPet") }, link("#/pet/updatePet"))[i]).toBeLessThan(1);
    expect(featuresOf({ fingerprint: link("#!/pet/addPet") }, link("#/pet/addPet"))[i]).toBe(1);
    // A control styled as a link ("#", "javascript:") says nothing by its address, for or against.
    const button = fp({ tag: "button", role: "button", attributes: {} });
    expect(featuresOf({ fingerprint: link("#") }, button)[i]).toBe(0);
    expect(featuresOf({ fingerprint: link("javascript:void(0)") }, button)[i]).toBe(0);
  });

  it("measures position from the element's heading when the section moved as a whole, else from the page", () => {
    const near = 13; // "near" in FEATURES
    const under = (heading: string, hx: number, hy: number, x: number, y: number) =>
      fp({
        heading,
        headingBox: { x: hx, y: hy, width: 600, height: 30 },
        box: { x, y, width: 80, height: 30 },
      });
    // Swagger UI 5 put a large info block above the "pet" section: heading and link both moved 400px down.
    const recorded = under("pet : Everything about your Pets", 0, 100, 20, 140);
    const moved = under("pet Everything about your Pets", 0, 500, 20, 540);
    expect(featuresOf({ fingerprint: recorded }, moved)[near]).toBe(1);
    // Under another heading, only the page is a common frame: 400px away is far.
    const elsewhere = under("store Access to Petstore orders", 0, 500, 20, 540);
    expect(featuresOf({ fingerprint: recorded }, elsewhere)[near]).toBeLessThan(-0.9);
    // No heading recorded (as in the Similo data): the page's pixels, exactly as before.
    const { heading: _h, headingBox: _b, ...bare } = recorded;
    expect(featuresOf({ fingerprint: bare }, moved)[near]).toBeLessThan(-0.9);
  });

  it("gives probabilities that sum to one over the candidates and 'removed'", () => {
    const p = choiceProbabilities([800, 799, -5], 0);
    expect(p.candidates.reduce((s, v) => s + v, p.removed)).toBeCloseTo(1, 12);
    expect(p.candidates[0]).toBeGreaterThan(p.candidates[1]!);
  });

  it("fits the same weights from the same cases every time, and learns which evidence matters", () => {
    const cases = Array.from({ length: 40 }, (_, i) => ({
      group: `site${i % 4}`,
      candidates: [
        [1, i % 3 === 0 ? 1 : -1],
        [-1, i % 2 === 0 ? 1 : -1],
      ],
      chosen: 0,
      weight: 1,
    }));
    const a = fitModel(["useful", "noise"], cases);
    const b = fitModel(["useful", "noise"], cases);
    expect(a).toEqual(b);
    expect(a.weights[0]!).toBeGreaterThan(Math.abs(a.weights[1]!));
  });
});
