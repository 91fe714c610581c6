import { expect, it } from "vitest";
import {
  type BoundingBox,
  ElementNotFoundError,
  type Screen,
  type VisionAdapter,
  VisionInputError,
} from "../../src/domain/vision/model.js";

const inside = (point: [number, number], b: BoundingBox) =>
  point[0] >= b.x && point[0] <= b.x + b.width && point[1] >= b.y && point[1] <= b.y + b.height;
const overlaps = (a: BoundingBox, b: BoundingBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export interface ContractFixture {
  adapter: () => VisionAdapter;
  login: () => Screen;
  changed: () => Screen;
}

/** What every vision adapter must do (spec §2.2), run against each adapter with the same screens. */
export function visionAdapterContract(f: ContractFixture) {
  const box = (role: string, name: string) =>
    f.login().nodes!.find((n) => n.role === role && (n.name || n.text) === name)!.box;

  it("is ready after initialize and reports itself healthy", async () => {
    expect(f.adapter().state).toBe("ready");
    const health = await f.adapter().healthCheck();
    expect(health.status).toBe("healthy");
    expect(health.latency_ms).toBeGreaterThanOrEqual(0);
    expect(health.error_rate).toBe(0);
  });

  it("describes the screen with what a user sees on it", async () => {
    const text = await f.adapter().describeScreen(f.login());
    expect(text).toContain("Welcome back");
    expect(text).toContain("Sign in");
  });

  it("finds an element by description, its centre inside the element", async () => {
    const found = await f.adapter().findElement(f.login(), "Sign in button");
    expect(found.element_type).toBe("button");
    expect(found.confidence).toBeGreaterThanOrEqual(0.5);
    expect(inside(found.coordinates, box("button", "Sign in"))).toBe(true);
  });

  it("says nothing fits rather than guessing", async () => {
    await expect(f.adapter().findElement(f.login(), "Delete account button")).rejects.toBeInstanceOf(
      ElementNotFoundError,
    );
  });

  it("finds several elements, most confident first, no more than asked", async () => {
    const found = await f.adapter().findMultipleElements(f.login(), "password", 2);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < found.length; i++)
      expect(found[i - 1]!.confidence).toBeGreaterThanOrEqual(found[i]!.confidence);
  });

  it("reads the screen's text with boxes where the text is", async () => {
    const lines = await f.adapter().ocr(f.login());
    const heading = lines.find((l) => l.text.includes("Welcome back"));
    expect(heading, JSON.stringify(lines.map((l) => l.text))).toBeDefined();
    expect(overlaps(heading!.bounding_box, box("heading", "Welcome back"))).toBe(true);
  });

  it("reads only the region it is given", async () => {
    const link = box("link", "Forgot your password?");
    const region = { x: 0, y: link.y - 8, width: 800, height: link.height + 16 };
    const lines = await f.adapter().ocr(f.login(), region);
    expect(lines.some((l) => l.text.includes("Welcome"))).toBe(false);
  });

  it("finds no difference between a screen and itself", async () => {
    const same = await f.adapter().compareScreens(f.login(), f.login());
    expect(same.similarity_score).toBe(1);
    expect(same.differences).toEqual([]);
    expect(same.embedding_distance).toBeLessThan(1e-6);
  });

  it("locates a change in a region around the changed element, unless that region is ignored", async () => {
    const button = box("button", "Sign in");
    const diff = await f.adapter().compareScreens(f.login(), f.changed());
    expect(diff.similarity_score).toBeLessThan(1);
    expect(diff.differences.some((d) => overlaps(d, button))).toBe(true);
    expect(diff.semantic_changes).not.toBe("");
    const ignored = await f
      .adapter()
      .compareScreens(f.login(), f.changed(), [
        { x: 0, y: button.y - 4, width: 800, height: button.height + 8 },
      ]);
    expect(ignored.differences).toEqual([]);
  });

  it("verifies an expected visual state and names what is missing", async () => {
    const yes = await f.adapter().verifyVisualState(f.login(), 'the page shows "Welcome back"');
    expect(yes.matches).toBe(true);
    const no = await f.adapter().verifyVisualState(f.login(), 'the page shows "Order confirmed"');
    expect(no.matches).toBe(false);
    expect(no.discrepancies.join(" ")).toContain("Order confirmed");
  });

  it("embeds a screen as a deterministic unit vector that tells screens apart", async () => {
    const a = await f.adapter().generateEmbedding(f.login());
    const again = await f.adapter().generateEmbedding(f.login());
    const b = await f.adapter().generateEmbedding(f.changed());
    expect(a.length).toBe(512);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect([...again]).toEqual([...a]);
    expect([...b]).not.toEqual([...a]);
  });

  it("rejects bad input by naming the field", async () => {
    await expect(f.adapter().findElement(f.login(), "  ")).rejects.toThrow(VisionInputError);
    await expect(f.adapter().findElement(f.login(), "  ")).rejects.toThrow(/^prompt: /);
    await expect(f.adapter().compareScreens({ png: Buffer.from("not a png") }, f.login())).rejects.toThrow(
      /^image1: is not a PNG/,
    );
    await expect(f.adapter().verifyVisualState(f.login(), "")).rejects.toThrow(/^expected_state: /);
  });
}
