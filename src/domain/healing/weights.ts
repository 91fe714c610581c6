import { FEATURES, type HealingModel } from "./features.js";

// Written by src/bench/fit-healing.ts from the Similo data set (606 targets, 40 sites); do not edit by hand.
const WEIGHTS: Record<string, number> = {
  name: 0.789779,
  name_exact: 0.814666,
  text: 1.474442,
  tag: 1.223727,
  role_class: -0.066135,
  role: 0.020255,
  id: 0.445239,
  id_exact: 0.11626,
  classes: 0.147116,
  href: 1.664695,
  attributes: 1.189726,
  path: 0.563587,
  neighbours: 0.913403,
  near: 1.097303,
  same_column: 0.923056,
  same_line: 0.979828,
  position: 1.686429,
  size: 0.426356,
  context: 0,
  heading: 0,
  landmark: 1.16581,
  description: 0.76006,
  description_in_context: 0,
};

export const HEALING_MODEL: HealingModel = {
  features: FEATURES,
  weights: FEATURES.map((f) => WEIGHTS[f] ?? 0),
  removed: 2.316941,
};
