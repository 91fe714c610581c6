import { FEATURES, type HealingModel } from "./features.js";

// Written by src/bench/fit-healing.ts from the Similo data set (606 targets, 40 sites); do not edit by hand.
const WEIGHTS: Record<string, number> = {
  name: 0.78337,
  name_exact: 0.890209,
  text: 1.425522,
  tag: 1.231744,
  role_class: -0.088291,
  role: -0.014069,
  id: 0.6401,
  id_exact: -0.035394,
  classes: 0.350817,
  href: 1.559363,
  attributes: 1.48969,
  path: 1.280071,
  neighbours: 0.973974,
  near: 1.036337,
  same_column: 0.926224,
  same_line: 1.031379,
  position: 1.719303,
  size: 0.417173,
  context: 0,
  heading: 0,
  description: 0.760426,
  description_in_context: 0,
};

export const HEALING_MODEL: HealingModel = {
  features: FEATURES,
  weights: FEATURES.map((f) => WEIGHTS[f] ?? 0),
  removed: 2.44821,
};
