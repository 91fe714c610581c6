import { z } from "zod";

/** `at`: a stream version (whole number) or an ISO 8601 time. */
export const At = z
  .union([z.number().int().min(1), z.iso.datetime({ offset: true })])
  .describe("A version of the run's log (1 = its request), or an ISO 8601 time");

export const pointOf = (at: number | string) =>
  typeof at === "number" ? { version: at } : { time: new Date(at) };
