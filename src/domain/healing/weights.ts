import { FEATURES, type HealingModel } from "./features.js";

// Written by src/bench/fit-healing.ts from the Similo data set (606 targets, 40 sites); do not edit by hand.
const WEIGHTS: Record<string, number> = {
  name: 0.783595,
  name_exact: 0.890676,
  text: 1.425192,
  tag: 1.231659,
  role_class: -0.08878,
  role: -0.014371,
  id: 0.644141,
  id_exact: -0.041161,
  classes: 0.348932,
  href: 1.561632,
  attributes: 1.490653,
  path: 1.2811,
  neighbours: 0.974883,
  near: 1.027711,
  same_column: 0.926857,
  same_line: 1.038431,
  position: 1.71973,
  size: 0.421824,
  context: 0,
  heading: 0,
  description: 0.760471,
  description_in_context: 0,
};

export const HEALING_MODEL: HealingModel = {
  features: FEATURES,
  weights: FEATURES.map((f) => WEIGHTS[f] ?? 0),
  removed: 2.449315,
};
