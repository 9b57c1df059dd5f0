import assert from "node:assert/strict";
import { bearerToken, issueVisitorToken, verifyVisitorToken } from "./visitor_token.ts";
import { Engine } from "../store/engine/engine.ts";

Deno.test("[widget] visitor token: round trip, tampering, other installs, expiry, garbage", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  const other = await Deno.openKv(":memory:");
  try {
    const token = await issueVisitorToken(engine, { visitorId: "V1", siteId: "S1" });
    const claims = await verifyVisitorToken(engine, token);
    assert.equal(claims?.visitorId, "V1");
    assert.equal(claims?.siteId, "S1");

    // Swap in another visitor's payload but keep the signature: refused.
    const [prefix, , sig] = token.split(".");
    const forgedPayload = btoa(
      JSON.stringify({ v: "V2", s: "S1", t: Math.floor(Date.now() / 1000) }),
    )
      .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    assert.equal(await verifyVisitorToken(engine, `${prefix}.${forgedPayload}.${sig}`), null);

    // Another install (another secret) does not accept it.
    assert.equal(await verifyVisitorToken(new Engine(other), token), null);

    // Expired tokens are refused.
    const old = await issueVisitorToken(engine, {
      visitorId: "V1",
      siteId: "S1",
      issuedAt: Date.now() - 400 * 24 * 3600_000,
    });
    assert.equal(await verifyVisitorToken(engine, old), null);

    for (const bad of ["", "x", "pv1..", "pv1.!!.??", "a.b.c", "x".repeat(5000), null, undefined]) {
      assert.equal(
        await verifyVisitorToken(engine, bad),
        null,
        `garbage ${String(bad).slice(0, 10)}`,
      );
    }
    // The secret is made once: a second handle on the same store would read it (same KV here).
    assert.ok(
      await verifyVisitorToken(
        engine,
        await issueVisitorToken(engine, { visitorId: "V3", siteId: "S" }),
      ),
    );

    assert.equal(bearerToken("Bearer abc.def"), "abc.def");
    assert.equal(bearerToken("Basic abc"), null);
    assert.equal(bearerToken(undefined), null);
  } finally {
    kv.close();
    other.close();
  }
});
