/** Reads a request's JSON body or query string and validates it (400 naming each bad field). */
import type { Context } from "hono";
import type { z } from "zod";
import { badRequest, tooLarge, unsupportedMediaType } from "../errors.ts";
import { parseWith } from "../validate.ts";

/** True when the request says its body is JSON (`application/json`, any parameters). */
export function isJsonContentType(header: string | undefined): boolean {
  return header?.split(";")[0].trim().toLowerCase() === "application/json";
}

/**
 * Reads the request body as JSON and validates it. A body not sent as
 * `application/json` is a 415 `unsupported_media_type` (a foreign page can
 * post `text/plain` without a CORS preflight; `application/json` it cannot).
 * Malformed JSON is a 400 `malformed_json`; a body over the limit is a 413
 * (the body-limit middleware usually answers first).
 */
export async function parseJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  maxBytes = 64 * 1024,
): Promise<z.infer<S>> {
  if (!isJsonContentType(c.req.header("content-type"))) {
    throw unsupportedMediaType(
      "Send the request body as JSON, with Content-Type: application/json.",
    );
  }
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > maxBytes) throw tooLarge();
  let value: unknown;
  try {
    value = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw badRequest("malformed_json", "The request body is not valid JSON.");
  }
  if (value === undefined) {
    throw badRequest("malformed_json", "The request body is empty; JSON expected.");
  }
  return parseWith(schema, value);
}

/** Validates the query string (as a flat record of strings). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}
