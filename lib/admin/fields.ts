/**
 * Zod building blocks that accept both JSON values and HTML form strings, so
 * one schema validates the JSON API and the no-JavaScript forms alike:
 * `"5"` and `5` are the number 5, `""` is "not set", a checkbox's `"on"` is true.
 */
import { z } from "zod";

/** A whole number in [min, max], or null when empty. */
export function optionalInt(min: number, max: number) {
  return z.preprocess(
    (
      v,
    ) => (v === "" || v === undefined || v === null ? null : typeof v === "string" ? Number(v) : v),
    z.number({ error: "Enter a whole number" }).int("Enter a whole number").min(
      min,
      `At least ${min}`,
    ).max(max, `At most ${max}`).nullable(),
  );
}

/** A whole number in [min, max] (required). */
export function requiredInt(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
    z.number({ error: "Enter a whole number" }).int("Enter a whole number").min(
      min,
      `At least ${min}`,
    ).max(max, `At most ${max}`),
  );
}

/** A boolean from JSON, or from a checkbox (present "on" / "true" is true, absent false). */
export const checkbox = z.preprocess(
  (v) => v === true || v === "on" || v === "true" || v === "1",
  z.boolean(),
);

/** An optional id: empty string and null both mean "none". */
export const optionalId = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.string().max(100).nullable(),
);
