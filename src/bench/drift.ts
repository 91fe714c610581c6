import { performance } from "node:perf_hooks";
import Fastify from "fastify";
import pixelmatch from "pixelmatch";
import type { ChromiumOptions } from "../adapters/browser/chromium.js";
import { PlaywrightDriver } from "../adapters/browser/playwright.js";
import { OnnxEmbedder } from "../adapters/vision/onnx-embedder.js";
import { type DriftSeverity, SEVERITIES } from "../domain/drift/classify.js";
import { decodePng, encodePng } from "../domain/vision/image.js";
import { detectDrift } from "../engine/drift/detect.js";
import { captureScreen } from "../engine/screen.js";
import { ratio } from "./measure.js";

export const PAIR_KINDS = [
  "identical",
  "noise",
  "colour",
  "text",
  "moved",
  "removed",
  "added",
  "layout",
] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

/** What each kind should be classified as; the issue's targets are the first two rows and the last three's floor. */
export const EXPECTED: Record<PairKind, DriftSeverity> = {
  identical: "none",
  noise: "none",
  colour: "cosmetic",
  text: "cosmetic",
  moved: "structural",
  removed: "functional",
  added: "structural",
  layout: "structural",
};

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const WORDS = ["Orders", "Account", "Billing", "Team", "Reports", "Projects", "Invoices", "Support", "Inbox"];
const FIELDS = ["Email", "Full name", "Company", "Phone", "City", "Project title"];
const ACTIONS = ["Save changes", "Continue", "Create project", "Send invite", "Apply filter"];

interface PageSpec {
  title: string;
  links: string[];
  fields: string[];
  action: string;
  secondary: string;
  intro: string;
  accent: string;
}

function pageSpec(seed: number): PageSpec {
  const r = rng(seed);
  const pick = <T>(list: T[], n: number) => [...list].sort(() => r() - 0.5).slice(0, n);
  return {
    title: `${pick(WORDS, 1)[0]} settings`,
    links: pick(WORDS, 3 + Math.floor(r() * 2)),
    fields: pick(FIELDS, 2 + Math.floor(r() * 2)),
    action: pick(ACTIONS, 1)[0]!,
    secondary: "Cancel",
    intro: `Manage how your ${pick(WORDS, 1)[0]!.toLowerCase()} are shared with the ${pick(WORDS, 1)[0]!.toLowerCase()} team.`,
    accent: ["#1d4ed8", "#047857", "#b91c1c", "#7c3aed"][Math.floor(r() * 4)]!,
  };
}

/** The page of a spec, changed as the kind says (noise is applied to the screenshot, not the page). */
function render(p: PageSpec, kind: PairKind | "baseline" | "subpixel"): string {
  const accent = kind === "colour" ? "#d97706" : p.accent;
  const intro = kind === "text" ? `${p.intro.replace(/\.$/, "")}, and who can edit them.` : p.intro;
  const links = kind === "removed" ? p.links.slice(0, -1) : p.links;
  const extra = kind === "added" ? `<button type="button" class="ghost">Export data</button>` : "";
  const layout = kind === "layout";
  const formTop = kind === "moved" ? 120 : 24;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${p.title}</title><style>
body { font-family: sans-serif; margin: 0; color: #111; background: #fff; }
header { display: flex; gap: 20px; padding: 16px 32px; border-bottom: 1px solid #ddd; ${layout ? "flex-direction: column; width: 180px; float: left; border: 0;" : ""} }
header a { color: ${accent}; font-size: 16px; }
main { padding: 24px 32px; ${layout ? "margin-left: 220px;" : ""} ${kind === "subpixel" ? "transform: translate(0.4px, 0.3px);" : ""} }
h1 { font-size: 28px; margin: 0 0 8px; }
p { font-size: 16px; max-width: 640px; }
form { margin-top: ${formTop}px; display: grid; gap: 10px; max-width: ${layout ? 640 : 360}px; ${layout ? "grid-template-columns: 1fr 1fr;" : ""} }
label { font-size: 15px; display: grid; gap: 4px; }
input { font-size: 15px; padding: 6px; }
button { font-size: 16px; padding: 10px 18px; border: 0; background: ${accent}; color: #fff; }
button.ghost { background: #eee; color: #111; }
</style></head><body>
<header><nav aria-label="Main">${links.map((l) => `<a href="#${l}">${l}</a>`).join(" ")}</nav></header>
<main><h1>${p.title}</h1><p>${intro}</p>
<form>${p.fields.map((f) => `<label>${f}<input name="${f}"></label>`).join("")}
<div><button type="button">${p.action}</button> <button type="button" class="ghost">${p.secondary}</button> ${extra}</div></form>
</main></body></html>`;
}

/** Anti-aliasing noise: edge pixels nudged by a few levels, as another GPU or font hinting would draw them. */
function addNoise(png: Buffer, seed: number): Buffer {
  const r = rng(seed);
  const img = decodePng(png);
  const d = img.data;
  for (let y = 1; y < img.height - 1; y++)
    for (let x = 1; x < img.width - 1; x++) {
      const i = (y * img.width + x) * 4;
      const edge = Math.abs(d[i]! - d[i + 4]!) + Math.abs(d[i]! - d[i + img.width * 4]!) > 40;
      if (!edge || r() > 0.5) continue;
      for (let c = 0; c < 3; c++)
        d[i + c] = Math.max(0, Math.min(255, d[i + c]! + Math.round((r() - 0.5) * 24)));
    }
  return encodePng(img);
}

export interface DriftBenchResult {
  matrix: Record<PairKind, Record<DriftSeverity, number>>;
  accuracy: number;
  targetsMet: boolean;
  misses: { kind: PairKind; seed: number; got: DriftSeverity; reasons: string[] }[];
  detectMedianMs: number;
  pixelmatchMedianMs: number;
}

/** Generated page pairs of every kind, classified; prints a confusion matrix of expected kind by severity. */
export async function benchDrift(
  chromium: ChromiumOptions,
  pagesPerKind = 8,
): Promise<Record<string, unknown>[]> {
  const pages = new Map<string, string>();
  const app = Fastify();
  app.get("/:id", async (request, reply) =>
    reply.type("text/html").send(pages.get((request.params as { id: string }).id) ?? ""),
  );
  await app.listen({ host: "127.0.0.1", port: 0 });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const driver = new PlaywrightDriver({ ...chromium, headless: true });
  const embedder = await OnnxEmbedder.create();
  const matrix = Object.fromEntries(
    PAIR_KINDS.map((k) => [k, Object.fromEntries(SEVERITIES.map((s) => [s, 0]))]),
  ) as DriftBenchResult["matrix"];
  const misses: DriftBenchResult["misses"] = [];
  const regionPixels: Partial<Record<PairKind, number[]>> = {};
  const ours: number[] = [];
  const peer: number[] = [];
  try {
    await driver.launch();
    const session = await driver.newSession({ viewport: { width: 1024, height: 640 } });
    const shoot = async (html: string) => {
      const id = `p${pages.size}`;
      pages.set(id, html);
      await session.navigate(`${origin}/${id}`, { waitUntil: "load" });
      const screen = await captureScreen(session);
      return { ...screen, nodes: screen.nodes ?? [], embedding: await embedder.embed(screen.png) };
    };
    for (let seed = 1; seed <= pagesPerKind; seed++) {
      const spec = pageSpec(seed * 7919);
      const baseline = await shoot(render(spec, "baseline"));
      for (const kind of PAIR_KINDS) {
        // Noise is of two sorts: the same page drawn a fraction of a pixel off (the browser's own
        // anti-aliasing changes), and edge pixels nudged in the image (another GPU, compression).
        const variant =
          kind === "identical" ? "baseline" : kind === "noise" ? (seed % 2 ? "subpixel" : "baseline") : kind;
        let current = await shoot(render(spec, variant));
        if (kind === "noise" && variant === "baseline") {
          const png = addNoise(current.png, seed);
          current = { ...current, png, embedding: await embedder.embed(png) };
        }
        const started = performance.now();
        const analysis = detectDrift(baseline, current);
        ours.push(performance.now() - started);
        const a = decodePng(baseline.png);
        const b = decodePng(current.png);
        const t = performance.now();
        pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
        peer.push(performance.now() - t);
        matrix[kind][analysis.severity]++;
        regionPixels[kind] = [...(regionPixels[kind] ?? []), analysis.max_region_pixels];
        if (analysis.severity !== EXPECTED[kind])
          misses.push({ kind, seed, got: analysis.severity, reasons: analysis.reasons });
      }
    }
    await session.close();
  } finally {
    await driver.close();
    await embedder.close();
    await app.close();
  }
  const total = PAIR_KINDS.length * pagesPerKind;
  const correct = PAIR_KINDS.reduce((n, k) => n + matrix[k][EXPECTED[k]], 0);
  const atLeastStructural = (k: PairKind) => matrix[k].none + matrix[k].cosmetic === 0;
  const targetsMet =
    matrix.identical.none === pagesPerKind &&
    matrix.noise.none === pagesPerKind &&
    atLeastStructural("removed") &&
    atLeastStructural("added");
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const table = [
    `${"expected \\ detected".padEnd(22)}${SEVERITIES.map((s) => s.padStart(11)).join("")}`,
    ...PAIR_KINDS.map(
      (k) =>
        `${`${k} (${EXPECTED[k]})`.padEnd(22)}${SEVERITIES.map((s) => String(matrix[k][s]).padStart(11)).join("")}`,
    ),
  ].join("\n");
  process.stderr.write(`${table}\n`);
  return [
    {
      bench: "drift",
      subject: "confusion matrix",
      pairs: total,
      accuracy: Math.round((correct / total) * 1000) / 1000,
      targets_met: targetsMet,
      matrix,
      misses,
      max_region_pixels: Object.fromEntries(
        Object.entries(regionPixels).map(([k, v]) => [k, [Math.min(...v), Math.max(...v)]]),
      ),
    },
    {
      bench: "drift",
      subject: "time per pair (structure + pixels + SSIM + regions) vs pixelmatch alone",
      detect_median_ms: Math.round(median(ours) * 10) / 10,
      pixelmatch_median_ms: Math.round(median(peer) * 10) / 10,
      ratio: ratio(median(ours), median(peer)),
    },
  ];
}
