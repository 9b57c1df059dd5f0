import assert from "node:assert/strict";
import { z } from "zod";
import { AppError } from "./errors.ts";
import { parseWith } from "./validate.ts";

Deno.test("[http] validation errors are written for people, not developers", () => {
  const schema = z.object({
    count: z.number().int().min(1).max(9),
    name: z.string().min(1),
    email: z.email(),
    kind: z.enum(["a", "b"]),
    own: z.number().min(1, "Own words stay as they are"),
  }).strict();
  try {
    parseWith(schema, { count: 0, email: "nope", kind: "c", own: 0, extra: 1 });
    assert.fail("should throw");
  } catch (err) {
    assert.ok(err instanceof AppError);
    const fields = (err.details as { fields: Record<string, string> }).fields;
    assert.equal(fields.count, "Must be at least 1");
    assert.equal(fields.name, "Required");
    assert.equal(fields.email, "Not an email address");
    assert.equal(fields.kind, "Must be one of: a, b");
    assert.equal(fields.own, "Own words stay as they are");
    assert.equal(fields._, "Unknown field: extra");
    assert.doesNotMatch(err.message, /Too small|Invalid input|expected/);
  }
});
