/**
 * Context data bounds (rule 10), without I/O: at most 50 keys of 1 to 100
 * characters, scalar values of at most 1 KB each, 32 KB in all.
 */
import type { ContextData, ContextValue } from "./engine_types.ts";

export const CONTEXT_MAX_KEYS = 50;
export const CONTEXT_MAX_KEY_LENGTH = 100;
export const CONTEXT_MAX_VALUE_BYTES = 1024;
/**
 * The whole context, as JSON, in UTF-8 bytes. It lives on the conversation
 * record, which also carries the wrap-up; a KV value is at most 64 KiB, so the
 * context keeps under half of that.
 */
export const CONTEXT_MAX_TOTAL_BYTES = 32 * 1024;

const encoder = new TextEncoder();

export type ContextPatch = Record<string, ContextValue | null>;

/** Why one key of a patch cannot be stored. */
function keyProblem(key: string, value: unknown): { code: string; message: string } | null {
  if (key.length === 0 || key.length > CONTEXT_MAX_KEY_LENGTH) {
    return {
      code: "context_key_invalid",
      message: `Context keys must be 1 to ${CONTEXT_MAX_KEY_LENGTH} characters.`,
    };
  }
  if (value === null) return null;
  if (typeof value === "number" && !Number.isFinite(value)) {
    return { code: "context_value_invalid", message: `Context "${key}" is not a finite number.` };
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    return {
      code: "context_value_invalid",
      message: `Context "${key}" must be a string, number or boolean.`,
    };
  }
  if (encoder.encode(String(value)).length > CONTEXT_MAX_VALUE_BYTES) {
    return {
      code: "context_value_too_large",
      message: `Context "${key}" is over ${CONTEXT_MAX_VALUE_BYTES} bytes.`,
    };
  }
  return null;
}

/**
 * Merges `patch` into `current`: a value replaces, `null` removes a key.
 * Returns the merged data, or, when the patch or the result breaks a bound,
 * the first reason and `rejected`: every key that cannot be stored, with why
 * (a key over the 50-key or 32 KB bound is one that came after the bound was
 * reached). Nothing may be stored then; a caller that wants the rest stored
 * sends the patch again without the rejected keys (the widget does).
 */
export function mergeContextData(
  current: ContextData,
  patch: unknown,
):
  | { ok: true; data: ContextData }
  | { ok: false; code: string; message: string; rejected: Record<string, string> } {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    return {
      ok: false,
      code: "invalid",
      message: "Context must be an object of key/value pairs.",
      rejected: {},
    };
  }
  const merged: ContextData = { ...current };
  const rejected: Record<string, string> = {};
  const problems: { code: string; message: string }[] = [];
  const refuse = (key: string, problem: { code: string; message: string }) => {
    problems.push(problem);
    rejected[key] = problem.message;
  };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    const problem = keyProblem(key, value);
    if (problem) {
      refuse(key, problem);
      continue;
    }
    if (value === null) {
      delete merged[key];
      continue;
    }
    const isNew = !Object.hasOwn(merged, key);
    if (isNew && Object.keys(merged).length >= CONTEXT_MAX_KEYS) {
      refuse(key, {
        code: "context_too_many_keys",
        message: `Context holds at most ${CONTEXT_MAX_KEYS} keys.`,
      });
      continue;
    }
    const before = merged[key];
    merged[key] = value as ContextValue;
    if (encoder.encode(JSON.stringify(merged)).length > CONTEXT_MAX_TOTAL_BYTES) {
      if (isNew) delete merged[key];
      else merged[key] = before;
      refuse(key, {
        code: "context_too_large",
        message: `Context holds at most ${CONTEXT_MAX_TOTAL_BYTES / 1024} KB in all.`,
      });
    }
  }
  if (problems.length) return { ok: false, ...problems[0], rejected };
  return { ok: true, data: merged };
}
