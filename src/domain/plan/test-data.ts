import { createHash } from "node:crypto";

/**
 * Generated test data in typed text and checks: `${data:KIND}`, `${data:int:1:100}`, `${data:email#buyer}`.
 * Values come from a seeded generator: the same seed (a run, or the run a replay re-executes) and key give
 * the same value, so a replay types what the original typed. A `#label` names a value so that later steps
 * can check it: `${data:email#buyer}` is the same address wherever it appears in the run.
 */
const TOKEN = /\$\{data:([a-z_]+)((?::[^:#}]+)*)(?:#([A-Za-z0-9_-]+))?\}/g;

const FIRST = [
  "Alice",
  "Bruno",
  "Chiara",
  "Dmitri",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Luis",
];
const LAST = [
  "Adams",
  "Berg",
  "Costa",
  "Dubois",
  "Evans",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
];
const STREETS = ["Oak Street", "Maple Avenue", "Harbour Road", "Station Lane", "Mill Way", "Park Terrace"];
const CITIES = ["Springfield", "Riverton", "Lakeside", "Fairview", "Greenville", "Kingsport"];
const WORDS = [
  "apple",
  "breeze",
  "canvas",
  "delta",
  "ember",
  "falcon",
  "garnet",
  "harbor",
  "indigo",
  "juniper",
];

export const DATA_KINDS = [
  "first_name",
  "last_name",
  "name",
  "email",
  "phone",
  "street",
  "city",
  "zip",
  "int",
  "word",
];

export class TestDataError extends Error {
  override readonly name = "TestDataError";
}

/** A deterministic stream of numbers in [0, 1) for one seed and key. */
function random(seed: string, key: string): () => number {
  let counter = 0;
  return () => {
    const digest = createHash("sha256").update(`${seed}\u0000${key}\u0000${counter++}`).digest();
    return digest.readUInt32BE(0) / 0x1_0000_0000;
  };
}

function generate(kind: string, args: string[], next: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join("");
  switch (kind) {
    case "first_name":
      return pick(FIRST);
    case "last_name":
      return pick(LAST);
    case "name":
      return `${pick(FIRST)} ${pick(LAST)}`;
    case "email":
      return `${pick(FIRST).toLowerCase()}.${pick(LAST).toLowerCase()}${digits(3)}@example.test`;
    case "phone":
      return `+1 555 ${digits(3)} ${digits(4)}`;
    case "street":
      return `${1 + Math.floor(next() * 200)} ${pick(STREETS)}`;
    case "city":
      return pick(CITIES);
    case "zip":
      return digits(5);
    case "word":
      return pick(WORDS);
    case "int": {
      const [min, max] = [Number(args[0] ?? 0), Number(args[1] ?? 100)];
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min)
        throw new TestDataError(
          `\${data:int:MIN:MAX} needs whole numbers with MIN <= MAX, got ${args.join(":")}`,
        );
      return String(min + Math.floor(next() * (max - min + 1)));
    }
    default:
      throw new TestDataError(`unknown test data kind ${kind}; known: ${DATA_KINDS.join(", ")}`);
  }
}

/** Replaces the data tokens of a step's text; `where` names the step for unlabelled tokens' keys. */
export function resolveData(text: string, seed: string, where: string): string {
  let occurrence = 0;
  return text.replace(TOKEN, (_, kind: string, rawArgs: string, label?: string) => {
    const key = label ? `label:${label}` : `step:${where}:${occurrence++}`;
    return generate(kind, rawArgs.split(":").filter(Boolean), random(seed, `${kind}${rawArgs}|${key}`));
  });
}

export const hasData = (text: string) => /\$\{data:/.test(text);
