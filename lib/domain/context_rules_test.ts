import assert from "node:assert/strict";
import { mergeContextData } from "./context_rules.ts";
import { canMoveDelivery } from "./delivery.ts";

Deno.test("[engine] context merges, removes with null, and refuses what breaks the bounds", () => {
  const r = mergeContextData({ plan: "free", a: 1 }, { plan: "pro", a: null, vip: true });
  assert.deepEqual(r, { ok: true, data: { plan: "pro", vip: true } });
  const full = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
  const heavy = Object.fromEntries(
    Array.from({ length: 31 }, (_, i) => [`k${i}`, "x".repeat(1000)]),
  );
  assert.equal(mergeContextData(heavy, {}).ok, true, "31 KB of context is fine");
  const tooHeavy = mergeContextData(heavy, { more: "x".repeat(1000), most: "x".repeat(1000) });
  assert.equal(!tooHeavy.ok && tooHeavy.code, "context_too_large", "32 KB in all at most");
  assert.equal(mergeContextData(full, { k1: 2 }).ok, true, "replacing within 50 keys is fine");
  const over = mergeContextData(full, { extra: 1 });
  assert.equal(over.ok, false);
  assert.equal(!over.ok && over.code, "context_too_many_keys");
  const big = mergeContextData({}, { note: "é".repeat(513) });
  assert.equal(!big.ok && big.code, "context_value_too_large", "1 KB counts bytes");
  assert.equal(mergeContextData({}, { note: "x".repeat(1024) }).ok, true);
  assert.equal(!mergeContextData({}, { o: { nested: 1 } }).ok && "refused", "refused");
  assert.equal(mergeContextData({}, { ["k".repeat(101)]: 1 }).ok, false);
  assert.equal(mergeContextData({}, [1, 2]).ok, false);
  assert.equal(mergeContextData({}, { n: Infinity }).ok, false);
});

Deno.test("[engine] delivery states never move backwards; failed only before delivered, and final", () => {
  assert.ok(canMoveDelivery("sending", "sent"));
  assert.ok(canMoveDelivery("sending", "read"));
  assert.ok(canMoveDelivery("sent", "delivered"));
  assert.ok(!canMoveDelivery("read", "delivered"));
  assert.ok(!canMoveDelivery("delivered", "sent"));
  assert.ok(!canMoveDelivery("sent", "sent"));
  assert.ok(canMoveDelivery("sent", "failed"));
  assert.ok(!canMoveDelivery("delivered", "failed"));
  assert.ok(!canMoveDelivery("failed", "read"));
  assert.ok(canMoveDelivery(null, "sending"));
});
