import assert from "node:assert/strict";
import { estimateWaitSeconds, queuePlaces, standingAt } from "./queue_place.ts";

Deno.test("[queue] places: a team's chat counts its team and everyone's queue ahead; no team counts all", () => {
  const places = queuePlaces([
    { conversationId: "a", teamId: "billing" },
    { conversationId: "b", teamId: null },
    { conversationId: "c", teamId: "support" },
    { conversationId: "d", teamId: "billing" },
    { conversationId: "e", teamId: null },
    { conversationId: "f", teamId: "support" },
  ]);
  assert.deepEqual(Object.fromEntries(places), {
    a: 1, // front
    b: 2, // everyone's queue: a is ahead
    c: 2, // support: b (anyone's) is ahead, a (billing) is not
    d: 3, // billing: a, b
    e: 5, // everyone's: all four ahead
    f: 4, // support: b, c, e
  });
  assert.equal(queuePlaces([]).size, 0);
});

Deno.test("[queue] wait: a busy queue estimates from its pace, a quiet one from the waits; no basis, no estimate", () => {
  const hour = 3_600_000;
  // Busy: 30 pickups in an hour (one every 2 min), each after a 10-minute wait: 2 min a place.
  const busy = { pickedUp: 30, pickupMs: 30 * 600_000, windowMs: hour };
  assert.equal(estimateWaitSeconds(1, busy), 120);
  assert.equal(estimateWaitSeconds(3, busy), 360);
  // Quiet: 4 pickups in an hour, each within 20 s: 20 s a place, not 15 min.
  const quiet = { pickedUp: 4, pickupMs: 4 * 20_000, windowMs: hour };
  assert.equal(estimateWaitSeconds(1, quiet), 20);
  assert.equal(estimateWaitSeconds(2, quiet), 40);
  // Fewer than three pickups, or none: nothing to go on.
  assert.equal(estimateWaitSeconds(1, { pickedUp: 2, pickupMs: 10_000, windowMs: hour }), null);
  assert.equal(estimateWaitSeconds(1, null), null);
  // Instant pickups still round up to a second.
  assert.equal(estimateWaitSeconds(1, { pickedUp: 5, pickupMs: 5, windowMs: hour }), 1);
  assert.deepEqual(standingAt(null, busy), { queuePosition: null, estimatedWaitSeconds: null });
  assert.deepEqual(standingAt(2, busy), { queuePosition: 2, estimatedWaitSeconds: 240 });
});
