import assert from "node:assert/strict";
import { HEARTBEAT_MS, heartbeatIntervalMs, Presence } from "./presence.ts";

Deno.test("[presence] three beats per grace period, never longer apart than the default", () => {
  assert.equal(heartbeatIntervalMs(60), HEARTBEAT_MS);
  assert.equal(heartbeatIntervalMs(3600), HEARTBEAT_MS);
  assert.equal(heartbeatIntervalMs(10), 3333, "the shortest grace allowed still gets 3 beats");
  assert.equal(heartbeatIntervalMs(30), 10_000);
});

Deno.test("[presence] beats at once, then each interval it is given, until the last connection closes", async () => {
  const beats: string[] = [];
  let asked = 0;
  let third: () => void = () => {};
  const thirdBeat = new Promise<void>((resolve) => third = resolve);
  const presence = new Presence((id) => {
    beats.push(id);
    if (beats.length === 3) third();
    return Promise.resolve();
  }, () => {
    asked++;
    return 5;
  });
  const leaveA = presence.connect("ada");
  const leaveB = presence.connect("ada");
  assert.deepEqual(beats, ["ada"], "the first connection beats at once, the second adds none");
  await thirdBeat;
  assert.ok(asked >= 2, "the interval is asked again before each round");
  leaveA();
  assert.deepEqual(presence.connected, ["ada"], "one connection left: still beating");
  leaveB();
  assert.deepEqual(presence.connected, []);
  const after = beats.length;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(beats.length, after, "no beats once the last connection closed");
  presence.close();
});
