import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { type Browser, expect, type Page, test } from "@playwright/test";

/**
 * The web console, as a person uses it, against `testdriver serve --demo` (keys required): the demo's runs
 * live, the v2 run's steps, time travel, the heal review (a viewer cannot approve; an admin approves the
 * five heals no check proved and the plan's learned locators change), a baseline approval and a drift check, reliability, a new
 * run watched live; axe-core on every page. console.test.ts starts the server and passes its address.
 */

const ADMIN = process.env.ADMIN_KEY!;
const VIEWER = process.env.VIEWER_KEY!;
const V2_URL = process.env.DEMO_V2_URL!;
const SHOTS = process.env.SCREENSHOT_DIR;
const AXE: string = createRequire(import.meta.url)("axe-core").source;

test.describe.configure({ mode: "serial" });

let browser: Browser;
let admin: Page;
let v2Run: string;
const violations: string[] = [];

/** axe-core, evaluated through DevTools (the console's CSP allows no injected script), WCAG 2.1 A and AA. */
async function scan(page: Page, name: string) {
  await page.evaluate(`(() => { if (!window.axe) (0, eval)(${JSON.stringify(AXE)}); })()`);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] })`,
  )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  for (const v of result.violations)
    if (v.impact === "serious" || v.impact === "critical")
      violations.push(
        `${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      );
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/console-${name}.png` });
}

async function signIn(page: Page, key: string) {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sign in to the TestDriver console" })).toBeVisible();
  await scan(page, "sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Runs", level: 1 })).toBeVisible();
}

// One browser (the worker's, launched with the config's Chromium) and one admin page across the steps.
test.beforeAll(async ({ browser: shared }) => {
  browser = shared;
  admin = await (await browser.newContext()).newPage();
});

test("the runs list shows the demo's runs as they happen, without reloading", async () => {
  await signIn(admin, ADMIN);
  await admin.evaluate(() => {
    (window as unknown as { marker: number }).marker = 1;
  });
  const v2 = admin.getByRole("row").filter({ hasText: "v2.0" });
  await expect(v2.getByText("passed", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(v2).toContainText("13: 7 passed, 6 healed");
  expect(await admin.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  await expect(admin.locator("#heal-count")).toHaveText("5");
  await scan(admin, "runs");
  v2Run = (await v2.getByRole("link").first().getAttribute("href"))!.replace("#/runs/", "");
});

test("a run shows each step with the page it acted on, its element outlined, and how it was found", async () => {
  await admin.getByRole("row").filter({ hasText: "v2.0" }).getByRole("link").first().click();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText(
    "Sign in and manage the shopping list",
  );
  const steps = admin.getByRole("list", { name: "Steps of the run" }).getByRole("button");
  await expect(steps).toHaveCount(13);
  await expect(steps.filter({ hasText: "healed" })).toHaveCount(6);
  await steps.nth(1).click();
  const detail = admin.locator("#step-detail");
  await expect(detail.getByRole("heading", { level: 2 })).toContainText("Step 2");
  await expect(detail).toContainText("found by resemblance to the element recorded before");
  await expect(detail).toContainText(/\d+ % \((medium|high|very high|low)\)/);
  const before = detail.getByRole("img", { name: /The page step 2 acted on, with textbox/ });
  await expect(before.locator("rect.outline.target")).toHaveCount(1);
  // The screenshot itself arrived (fetched with the key) and is drawn under the outline.
  await expect(admin.locator("#shot-defs image[href^='blob:']").first()).toBeAttached();
  await steps.nth(0).focus();
  await admin.keyboard.press("ArrowDown");
  await expect(steps.nth(1)).toBeFocused();
  await shot(admin, "run");
  await scan(admin, "run steps");
  // The HTML report, fetched with the key and saved (a blob: page would inherit the console's policy).
  const [download] = await Promise.all([
    admin.waitForEvent("download"),
    admin.getByRole("button", { name: "HTML report (download)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`testdriver-${v2Run}.html`);
  expect(await readFile((await download.path())!, "utf8")).toContain('<svg class="defs"');
});

test("time travel shows the state at step 3, then after signing in at step 4", async () => {
  await admin.getByRole("link", { name: "Time travel" }).click();
  await expect(admin.getByRole("heading", { name: "Time travel" })).toBeVisible();
  const third = await admin.locator("#jump-step option", { hasText: /^3: / }).textContent();
  await admin.getByLabel("Jump to the end of step").selectOption({ label: third! });
  await expect(admin.locator("#travel-state")).toContainText("step 3");
  await expect(admin.locator("#travel-url")).toHaveText(/\/login$/);
  const stepsThen = admin.locator("#travel ol li");
  await expect(stepsThen.nth(2)).toContainText("healed");
  await expect(stepsThen.nth(3)).toContainText("pending");
  await shot(admin, "time-travel");
  await scan(admin, "time travel");
  await admin.getByRole("button", { name: "Next step" }).click();
  await expect(admin.locator("#travel-url")).toHaveText(/\/dashboard$/);
  await expect(admin.locator("#travel").getByRole("cell", { name: "sid" })).toBeVisible();
  await admin.getByRole("link", { name: "Replay" }).click();
  await admin.getByRole("button", { name: "Refold and compare" }).click();
  await expect(
    admin.getByText(/Equal: the \d+ events fold to exactly what the read model holds/),
  ).toBeVisible();
  await scan(admin, "replay");
});

test("a viewer sees the heals but no approve button, and the API refuses a viewer's verdict", async () => {
  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, VIEWER);
  await viewer.getByRole("link", { name: /Heal review/ }).click();
  // v2's six heals were applied; the one a check proved ("Expect not to see Milk") needs no one.
  await expect(viewer.locator("article.heal")).toHaveCount(5);
  await expect(viewer.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Approve selected" })).toHaveCount(0);
  await expect(viewer.getByText("Approving or rejecting needs an admin key").first()).toBeVisible();
  const healing = await viewer.locator("article.heal").first().getAttribute("data-heal");
  const refused = await viewer.request.post(`/api/runs/${v2Run}/heals/${healing}/review`, {
    headers: { authorization: `Bearer ${VIEWER}` },
    data: { approved: true },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).message).toMatch(/admin role/);
  await viewer.context().close();
});

test("an admin approves the five unproved heals at once and the plan's learned locators change", async () => {
  const learned = async () =>
    (
      await (
        await admin.request.get("/api/plans/listly-demo", { headers: { authorization: `Bearer ${ADMIN}` } })
      ).json()
    ).learned as { step_id: string; locator: string; source: string }[];
  expect((await learned()).find((l) => l.step_id === "type-email-field")).toMatchObject({
    locator: "#email",
  });
  await admin.getByRole("link", { name: /Heal review/ }).click();
  const cards = admin.locator("article.heal");
  await expect(cards).toHaveCount(5);
  await expect(
    cards
      .first()
      .getByRole("img", { name: /^Before: textbox/ })
      .locator("rect.outline.was"),
  ).toHaveCount(1);
  await expect(
    cards
      .first()
      .getByRole("img", { name: /^After: textbox/ })
      .locator("rect.outline.now"),
  ).toHaveCount(1);
  await shot(admin, "heals");
  await scan(admin, "heal review");
  await admin.getByLabel(/Select all 5 awaiting review/).check();
  await admin.getByRole("button", { name: "Approve selected" }).click();
  await expect(admin.getByText("No heal awaits review.")).toBeVisible();
  await expect(admin.locator("#heal-count")).toHaveText("");
  await admin.getByRole("link", { name: "Approved", exact: true }).click();
  await expect(cards).toHaveCount(5);
  await expect(admin.locator("[data-learned]").first()).toBeVisible();
  const now = await learned();
  for (const [step, locator] of [
    ["type-email-field", "#user-email"],
    ["type-password-field", "#user-password"],
    ["click-sign-in-button", "#signin-button"],
    ["click-add-button", "#create-item"],
    ["click-sign-out-link", "#sign-out"],
  ])
    expect(now.find((l) => l.step_id === step)).toMatchObject({ locator, source: "approved" });
  // Proved by its check, the new-item heal was learned when it was made.
  expect(now.find((l) => l.step_id === "type-new-item")).toMatchObject({
    locator: "#item-text",
    source: "healed",
  });
});

test("a baseline is approved, then a drift check shows what changed in the diff viewer", async () => {
  await admin.getByRole("link", { name: "Baselines and drift" }).click();
  await scan(admin, "baselines");
  await admin.getByRole("link", { name: "/login", exact: true }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("captured");
  await admin.getByRole("button", { name: "Approve this baseline" }).click();
  await expect(admin.getByText("Approved: drift checks now compare with this capture.")).toBeVisible();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("approved");
  await admin.getByLabel("Check this page now against the baseline").fill(`${V2_URL}/login`);
  await admin.getByRole("button", { name: "Check for drift" }).click();
  await expect(admin.getByRole("heading", { name: /Check of .* functional/ })).toBeVisible();
  await expect(
    admin
      .getByRole("img", { name: /The baseline, changed regions/ })
      .locator("rect.outline.change")
      .first(),
  ).toBeAttached();
  await expect(admin.locator("#viewer")).toContainText(/renamed|removed|added/);
  await admin.getByLabel("Slider", { exact: true }).check();
  await admin.getByLabel(/Slider: how much of the page/).press("Home");
  await expect(admin.locator("#diff-top")).toHaveCSS("clip-path", "inset(0px 100% 0px 0px)");
  await admin.getByLabel(/Slider: how much of the page/).press("End");
  await expect(admin.locator("#diff-top")).toHaveCSS("clip-path", "inset(0px 0% 0px 0px)");
  await admin.locator("#diff-range").evaluate((range: HTMLInputElement) => {
    range.value = "50";
    range.dispatchEvent(new Event("input", { bubbles: true }));
    range.closest("section")?.scrollIntoView();
  });
  await shot(admin, "drift");
  await scan(admin, "baseline and drift");
});

test("reliability per test and page, with the runs behind each point", async () => {
  await admin.getByRole("link", { name: "Reliability" }).click();
  await expect(admin.getByRole("row").filter({ hasText: "listly-demo" })).toBeVisible();
  await expect(admin.getByRole("group", { name: /Pass rate and flakiness over time/ })).toBeVisible();
  // The points are links, reached by keyboard like any other.
  await admin
    .getByRole("group", { name: /Pass rate and flakiness/ })
    .getByRole("link")
    .first()
    .focus();
  await admin.keyboard.press("Enter");
  await expect(admin.locator("#point-runs + ul li")).toHaveCount(1);
  await shot(admin, "reliability");
  await scan(admin, "reliability");
  await admin.getByRole("link", { name: "Pages" }).click();
  await expect(admin.getByRole("row").filter({ hasText: "/dashboard" })).toBeVisible();
});

test("a new run of v2, started from the console and watched live, uses the approved locators", async () => {
  await admin.goto(`/#/runs/${v2Run}`);
  await admin.getByRole("link", { name: "Run again" }).click();
  await expect(admin.getByRole("heading", { name: "Start a run" })).toBeVisible();
  await expect(admin.getByLabel("Application URL")).toHaveValue(V2_URL);
  await scan(admin, "start a run");
  await admin.getByRole("button", { name: "Start the run" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText(/running|pending/);
  await admin.evaluate(() => {
    (window as unknown as { marker: number }).marker = 2;
  });
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("passed", { timeout: 90_000 });
  expect(await admin.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(2);
  const steps = admin.getByRole("list", { name: "Steps of the run" }).getByRole("button");
  await expect(steps.filter({ hasText: "healed" })).toHaveCount(0);
  // The five approved locators, the proved heal and the one v1 learned for "Delete Milk".
  await expect(steps.filter({ hasText: "by the learned locator" })).toHaveCount(7);
  await admin.getByRole("link", { name: "Runs", exact: true }).first().click();
  await expect(admin.getByRole("row").filter({ hasText: "v2.0" })).toHaveCount(2);
  await shot(admin, "runs");
});

test("no page of the console has a serious or critical WCAG 2.1 AA violation", () => {
  expect(violations).toEqual([]);
});
