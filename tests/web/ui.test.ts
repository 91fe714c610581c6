import { describe, expect, it } from "vitest";
import { html, raw } from "../../src/web/ui/html.js";
import { screenshot } from "../../src/web/ui/shot.js";
import { confidenceLabel, decisionWords, foundShort, foundWords } from "../../src/web/ui/words.js";

describe("the console's and report's shared components", () => {
  it("escape what they interpolate unless it is markup they made", () => {
    const name = `<img src=x onerror="alert(1)">`;
    expect(html`<p>${name}</p>`.value).toBe("<p>&#60;img src=x onerror=&#34;alert(1)&#34;&#62;</p>");
    expect(html`<p>${raw("<b>ok</b>")}${[html`<i>${"&"}</i>`]}</p>`.value).toBe(
      "<p><b>ok</b><i>&#38;</i></p>",
    );
    expect(html`${null}${undefined}${false}${0}`.value).toBe("0");
  });

  it("say how sure a finding is in words whose bands are the healing thresholds", () => {
    expect(confidenceLabel(0.97)).toBe("97 % (very high)");
    expect(confidenceLabel(0.9)).toBe("90 % (high)");
    expect(confidenceLabel(0.857)).toBe("86 % (medium)");
    expect(confidenceLabel(0.75)).toBe("75 % (low)");
    expect(confidenceLabel(0.4)).toBe("40 % (very low)");
  });

  it("say how an element was found", () => {
    expect(foundWords({ strategy: "accessibility", confidence: 0.97, name: "Sign in" })).toBe(
      'found by name "Sign in", 97 % (very high)',
    );
    expect(foundWords({ strategy: "explicit", confidence: 1 })).toBe(
      "found by the plan's selector, 100 % (very high)",
    );
    expect(
      foundWords({ strategy: "accessibility", confidence: 0.838, healed: true, method: "dom_fingerprint" }),
    ).toBe("healed: found by resemblance to the element recorded before, 84 % (medium)");
    expect(foundShort({ strategy: "learned", confidence: 0.95 })).toBe("by the learned locator, 95 %");
    expect(decisionWords("propose")).toMatch(/learned only once a person approves it/);
  });

  it("draw a screenshot in CSS pixels with its boxes, or a window around them when zoomed", () => {
    const shot = { hash: "a".repeat(64), width: 1280, height: 720 };
    const box = { x: 600, y: 100, width: 80, height: 20 };
    const full = screenshot(shot, [{ box, kind: "target" }], "the page").value;
    expect(full).toContain('viewBox="0 0 1280 720"');
    expect(full).toContain(`<use href="#shot-${"a".repeat(64)}">`);
    expect(full).toContain('<rect class="outline target" x="597" y="97" width="86" height="26"');
    // Twice as close, centred on the box, but never past the image's edge (the box is near the top).
    const zoomed = screenshot(shot, [{ box, kind: "target" }], "the page", { zoom: 2 }).value;
    expect(zoomed).toContain('viewBox="320 0 640 360"');
    // Boxes larger than the window widen it.
    const wide = screenshot(shot, [{ box: { x: 0, y: 0, width: 1200, height: 50 }, kind: "change" }], "p", {
      zoom: 4,
    }).value;
    expect(wide).toMatch(/viewBox="0 0 1280 \d+"/);
  });
});
