import assert from "node:assert/strict";
import { constantTimeEqual, hashPassword, verifyPassword } from "./password.ts";

Deno.test("[auth] a password verifies against its salted hash and nothing else", async () => {
  const a = await hashPassword("correct horse", 1000);
  const b = await hashPassword("correct horse", 1000);
  assert.notEqual(a, b, "each hash has its own salt");
  assert.match(a, /^pbkdf2-sha256\$1000\$/);
  assert.equal(await verifyPassword("correct horse", a), true);
  assert.equal(await verifyPassword("correct horsE", a), false);
  assert.equal(await verifyPassword("correct horse", "garbage"), false);
});

Deno.test("[auth] constant-time comparison", () => {
  assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assert.equal(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 2])), false);
});
