import assert from "node:assert/strict";
import {
  checkOrigin,
  createSite,
  DEFAULT_SITE_KEY,
  deleteSite,
  listSites,
  normaliseOrigin,
  resolveSite,
  updateSite,
} from "./sites.ts";
import { Engine } from "./engine/engine.ts";

const SELF = "http://127.0.0.1:8000";

Deno.test("[widget] sites: default site, create, update, delete, origin checks", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const def = await resolveSite(kv);
    assert.equal(def?.siteKey, DEFAULT_SITE_KEY);
    assert.equal(checkOrigin(def!, SELF, SELF).ok, true, "Parley's own origin is allowed");
    assert.equal(checkOrigin(def!, "https://evil.example", SELF).ok, false);
    assert.equal(checkOrigin(def!, null, SELF).ok, true, "no Origin: not a cross-origin page");

    const shop = await createSite(engine, {
      name: "Shop",
      allowedOrigins: ["https://Shop.example:443/any/path"],
    });
    assert.deepEqual(shop.allowedOrigins, ["https://shop.example"]);
    assert.match(shop.siteKey, /^site_/);
    assert.equal((await resolveSite(kv, shop.siteKey))?.id, shop.id);
    assert.equal(await resolveSite(kv, "site_unknown"), null);

    assert.equal(checkOrigin(shop, "https://shop.example", SELF).ok, true);
    const refused = checkOrigin(shop, "https://shop.example.evil.test", SELF);
    assert.equal(refused.ok, false);
    assert.match((refused as { reason: string }).reason, /not allowed for the site "Shop"/);
    assert.equal(checkOrigin(shop, "null", SELF).ok, false, "opaque origins are refused");

    const open = await updateSite(engine, shop.id, { allowAnyOrigin: true, colour: "#112233" });
    assert.equal(open.colour, "#112233");
    assert.equal(open.name, "Shop", "fields not in the patch stay");
    assert.equal(checkOrigin(open, "https://anywhere.example", SELF).ok, true);

    assert.equal(normaliseOrigin("javascript:alert(1)"), null);
    assert.equal(normaliseOrigin("ftp://x.example"), null);
    await assert.rejects(createSite(engine, { name: "Bad", allowedOrigins: ["not a url"] }));
    await assert.rejects(createSite(engine, { name: "Bad", colour: "red" }));

    assert.equal((await listSites(kv)).length, 2);
    await assert.rejects(deleteSite(engine, def!.id), /default site cannot be deleted/);
    await deleteSite(engine, shop.id);
    assert.equal(await resolveSite(kv, shop.siteKey), null);
    assert.equal((await listSites(kv)).length, 1);
  } finally {
    kv.close();
  }
});

Deno.test("[widget] sites: two sites never share a name, even when created or renamed at once", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => createSite(engine, { name: i % 2 ? "Shop" : " shop  " })),
    );
    const made = results.filter((r) => r.status === "fulfilled");
    assert.equal(made.length, 1, "exactly one of the racing creates wins");
    for (const r of results) {
      if (r.status === "rejected") {
        assert.equal(r.reason.status, 409);
        assert.equal(r.reason.code, "duplicate_name");
      }
    }
    const other = await createSite(engine, { name: "Outlet" });
    await assert.rejects(() => updateSite(engine, other.id, { name: "SHOP" }), /already called/);
    // Its own name (case changed) is fine, and a freed name can be used again.
    await updateSite(engine, other.id, { name: "OUTLET" });
    await deleteSite(engine, (made[0] as PromiseFulfilledResult<{ id: string }>).value.id);
    await createSite(engine, { name: "shop" });
    assert.equal((await listSites(kv)).filter((s) => s.name.toLowerCase() === "shop").length, 1);
  } finally {
    kv.close();
  }
});
