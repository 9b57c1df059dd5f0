import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { errorResponse } from "./error_response.ts";
import { bodyLimit } from "./middleware.ts";

/** An app with the body limit in front of an echo handler; counts what reached the handler. */
function echoApp(maxBytes: number) {
  const reached: string[] = [];
  const app = new Hono<AppEnv>();
  app.onError((err) => errorResponse(err));
  app.use("*", bodyLimit(maxBytes));
  app.post("/echo", async (c) => {
    const text = await c.req.text();
    reached.push(text);
    return c.json({ bytes: text.length });
  });
  app.get("/echo", (c) => c.json({ ok: true }));
  return { app, reached };
}

/** A request body sent in chunks, without Content-Length (as `Transfer-Encoding: chunked`). */
function chunked(...parts: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(enc.encode(p));
      controller.close();
    },
  });
}

Deno.test("[http] body limit: a declared Content-Length over the limit is a 413 before the handler", async () => {
  const { app, reached } = echoApp(10);
  const res = await app.request("/echo", {
    method: "POST",
    headers: { "content-length": "11", "content-type": "application/json" },
    body: "x".repeat(11),
  });
  assert.equal(res.status, 413);
  const body = await res.json();
  assert.equal(body.error.code, "too_large");
  assert.match(body.error.message, /over 10 bytes/);
  assert.deepEqual(reached, []);
});

Deno.test("[http] body limit: a chunked body is counted as it is read and refused past the limit", async () => {
  const { app, reached } = echoApp(10);
  const res = await app.request("/echo", {
    method: "POST",
    body: chunked("abcdef", "ghijkl"),
    // @ts-ignore: Deno's RequestInit takes duplex for streamed bodies
    duplex: "half",
  });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, "too_large");
  assert.deepEqual(reached, []);
});

Deno.test("[http] body limit: bodies up to the limit reach the handler whole", async () => {
  const { app, reached } = echoApp(10);
  const declared = await app.request("/echo", {
    method: "POST",
    headers: { "content-length": "10" },
    body: "0123456789",
  });
  assert.equal(declared.status, 200);
  assert.deepEqual(await declared.json(), { bytes: 10 });
  const streamed = await app.request("/echo", {
    method: "POST",
    body: chunked("01234", "56789"),
    // @ts-ignore: Deno's RequestInit takes duplex for streamed bodies
    duplex: "half",
  });
  assert.equal(streamed.status, 200);
  assert.deepEqual(await streamed.json(), { bytes: 10 });
  assert.deepEqual(reached, ["0123456789", "0123456789"]);
  assert.equal((await app.request("/echo")).status, 200);
});
