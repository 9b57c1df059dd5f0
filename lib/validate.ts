/**
 * Parsing with zod anywhere in Parley: a value that does not fit its schema is a 400 `invalid`
 * error naming each bad field. HTTP requests are read with lib/http/parse_request.ts.
 */
import type { z } from "zod";
import { badRequest } from "./errors.ts";

/** Formats zod issues as one readable sentence: `text: Required; clientId: Too long`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ` : "") + issue.message)
    .join("; ");
}

/** Parses `value` with `schema`, throwing a 400 `invalid` error that names each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.join(".") || "_";
      fields[key] ??= issue.message;
    }
    throw badRequest("invalid", describeIssues(result.error), { fields });
  }
  return result.data;
}
