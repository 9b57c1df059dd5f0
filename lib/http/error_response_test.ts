import assert from "node:assert/strict";
import { Hono } from "hono";
import { badRequest, conflict, notFound, tooMany } from "../errors.ts";
import { errorResponse } from "./error_response.ts";

/** An app whose routes throw, with the app's one error handler. */
function throwingApp() {
  const app = new Hono();
  app.onError((err) => errorResponse(err));
  app.get("/invalid", () => {
    throw badRequest("invalid", "text: Required", { fields: { text: "Required" } });
  });
  app.get("/missing", () => {
    throw notFound("Conversation");
  });
  app.get("/taken", () => {
    throw conflict("already_assigned", "Someone else took this chat.");
  });
  app.get("/slow-down", () => {
    throw tooMany("Too many sign-in attempts.", 30);
  });
  app.get("/busy", () => {
    // What Deno KV throws when another handle holds a local SQLite file's write lock.
    throw new TypeError("database is locked");
  });
  app.get("/bug", () => {
    throw new Error("secret internals: kv key [conversations, 42]");
  });
  return app;
}

Deno.test("[http] error handler: a typed error becomes its status and {error:{code,message}}", async () => {
  const app = throwingApp();
  const invalid = await app.request("/invalid");
  assert.equal(invalid.status, 400);
  assert.deepEqual(await invalid.json(), {
    error: {
      code: "invalid",
      message: "text: Required",
      details: { fields: { text: "Required" } },
    },
  });
  const missing = await app.request("/missing");
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    error: { code: "not_found", message: "Conversation not found." },
  });
  const taken = await app.request("/taken");
  assert.equal(taken.status, 409);
  assert.equal((await taken.json()).error.code, "already_assigned");
  assert.match(taken.headers.get("content-type") ?? "", /application\/json/);
});

Deno.test("[http] error handler: 429 says when to retry in Retry-After", async () => {
  const res = await throwingApp().request("/slow-down");
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "30");
  assert.deepEqual(await res.json(), {
    error: { code: "too_many_requests", message: "Too many sign-in attempts." },
  });
});

Deno.test("[http] error handler: anything else is a logged 500 that tells the client nothing inside", async () => {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const res = await throwingApp().request("/bug");
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), {
      error: { code: "internal", message: "Something went wrong on our side." },
    });
    assert.ok(!text.includes("secret internals"));
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 1);
  assert.match(String(logged[0][1]), /secret internals/);
});

Deno.test("[http] error handler: a KV file still locked after the retries is a 503 to try again", async () => {
  const res = await throwingApp().request("/busy");
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("retry-after"), "1");
  const body = await res.json();
  assert.equal(body.error.code, "busy");
  assert.match(body.error.message, /nothing was changed/);
});
