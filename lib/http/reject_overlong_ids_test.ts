import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { errorResponse } from "./error_response.ts";
import { rejectOverlongIds } from "./middleware.ts";

/** A route that would use its id in a KV key (keys are limited to 2 KiB). */
function lookupApp() {
  const looked: string[] = [];
  const app = new Hono<AppEnv>();
  app.onError((err) => errorResponse(err));
  app.use("/things/*", rejectOverlongIds());
  app.get("/things/:id", (c) => {
    looked.push(c.req.param("id"));
    return c.json({ id: c.req.param("id") });
  });
  return { app, looked };
}

Deno.test("[http] overlong ids: a path segment over 200 characters is a 404 before any lookup", async () => {
  const { app, looked } = lookupApp();
  const res = await app.request(`/things/${"x".repeat(201)}`);
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { error: { code: "not_found", message: "No such record." } });
  const huge = await app.request(`/things/${"y".repeat(5000)}`);
  assert.equal(huge.status, 404);
  assert.deepEqual(looked, []);
});

Deno.test("[http] overlong ids: ids up to 200 characters reach the handler", async () => {
  const { app, looked } = lookupApp();
  const id = "z".repeat(200);
  const res = await app.request(`/things/${id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id });
  assert.deepEqual(looked, [id]);
});
