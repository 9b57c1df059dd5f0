/**
 * Parsing with zod anywhere in Parley: a value that does not fit its schema is a 400 `invalid`
 * error naming each bad field. HTTP requests are read with lib/http/parse_request.ts.
 */
import type { z } from "zod";
import { badRequest } from "./errors.ts";

/** zod's own wording (for developers), as opposed to a message a schema gives itself. */
const ZOD_DEFAULT =
  /^(Too small|Too big|Invalid input|Invalid option|Invalid email|Invalid string|Unrecognized key)/;

/**
 * An issue's message in plain words: a schema's own message as it is; zod's
 * defaults ("Too small: expected number to be >=1") rewritten the way a form
 * would say it ("Must be at least 1").
 */
export function plainMessage(issue: z.core.$ZodIssue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  // deno-lint-ignore no-explicit-any
  const i = issue as any;
  switch (issue.code) {
    case "too_small":
      if (i.origin === "string") {
        return i.minimum <= 1 ? "Required" : `Must be at least ${i.minimum} characters`;
      }
      if (i.origin === "array" || i.origin === "set") return `Choose at least ${i.minimum}`;
      return i.inclusive === false
        ? `Must be more than ${i.minimum}`
        : `Must be at least ${i.minimum}`;
    case "too_big":
      if (i.origin === "string") return `Must be at most ${i.maximum} characters`;
      if (i.origin === "array" || i.origin === "set") return `At most ${i.maximum}`;
      return i.inclusive === false
        ? `Must be less than ${i.maximum}`
        : `Must be at most ${i.maximum}`;
    case "invalid_type":
      if (/received undefined$/.test(issue.message)) return "Required";
      return ({
        int: "Must be a whole number",
        number: "Must be a number",
        boolean: "Must be true or false",
        string: "Must be text",
        array: "Must be a list",
        object: "Must be an object",
      } as Record<string, string>)[i.expected] ?? "Not valid here";
    case "invalid_format":
      return i.format === "email" ? "Not an email address" : "Not in the expected format";
    case "invalid_value":
      return `Must be one of: ${(i.values ?? []).map(String).join(", ")}`;
    case "unrecognized_keys":
      return `Unknown field${i.keys?.length === 1 ? "" : "s"}: ${(i.keys ?? []).join(", ")}`;
  }
  return issue.message;
}

/** Formats zod issues as one readable sentence: `text: Required; clientId: Must be text`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ` : "") + plainMessage(issue))
    .join("; ");
}

/** Parses `value` with `schema`, throwing a 400 `invalid` error that names each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.join(".") || "_";
      fields[key] ??= plainMessage(issue);
    }
    throw badRequest("invalid", describeIssues(result.error), { fields });
  }
  return result.data;
}
