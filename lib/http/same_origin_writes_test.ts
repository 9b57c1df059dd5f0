import assert from "node:assert/strict";
import { Hono } from "hono";
import { SESSION_COOKIE } from "../auth/sessions.ts";
import type { AppEnv } from "./context.ts";
import { errorResponse } from "./error_response.ts";
import { sameOriginWrites } from "./middleware.ts";

const ORIGIN = "http://parley.test";
const COOKIE = `${SESSION_COOKIE}=some-token`;

/** An app with the CSRF check in front of a handler that counts the writes it took. */
function writeApp() {
  let writes = 0;
  const app = new Hono<AppEnv>();
  app.onError((err) => errorResponse(err));
  app.use("*", sameOriginWrites());
  app.on(["GET", "POST", "PUT", "PATCH", "DELETE"], "/thing", (c) => {
    if (c.req.method !== "GET") writes++;
    return c.json({ ok: true });
  });
  const send = (method: string, headers: Record<string, string>) =>
    app.request(`${ORIGIN}/thing`, { method, headers });
  return { send, writes: () => writes };
}

Deno.test("[http] CSRF: a cookie-signed write from another site is a 403 and changes nothing", async () => {
  const { send, writes } = writeApp();
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    const res = await send(method, { cookie: COOKIE, origin: "https://evil.example" });
    assert.equal(res.status, 403, method);
    const body = await res.json();
    assert.equal(body.error.code, "forbidden");
    assert.match(body.error.message, /Cross-site request refused/);
  }
  const opaque = await send("POST", { cookie: COOKIE, origin: "null" });
  assert.equal(opaque.status, 403);
  const fetchSite = await send("POST", { cookie: COOKIE, "sec-fetch-site": "cross-site" });
  assert.equal(fetchSite.status, 403);
  const sameSite = await send("POST", { cookie: COOKIE, "sec-fetch-site": "same-site" });
  assert.equal(sameSite.status, 403, "a sibling subdomain is another origin");
  assert.equal(writes(), 0);
});

Deno.test("[http] CSRF: writes from our own pages, and requests that carry no session, go through", async () => {
  const { send, writes } = writeApp();
  const ours = await send("POST", {
    cookie: COOKIE,
    origin: ORIGIN,
    host: "parley.test",
    "sec-fetch-site": "same-origin",
  });
  assert.equal(ours.status, 200);
  const typedUrl = await send("POST", { cookie: COOKIE, "sec-fetch-site": "none" });
  assert.equal(typedUrl.status, 200, "no Origin and a user-initiated fetch");
  const noCookie = await send("POST", { origin: "https://widget-host.example" });
  assert.equal(noCookie.status, 200, "the widget and API keys send no session cookie");
  const read = await send("GET", { cookie: COOKIE, origin: "https://evil.example" });
  assert.equal(read.status, 200, "reads change nothing");
  assert.equal(writes(), 3);
});
