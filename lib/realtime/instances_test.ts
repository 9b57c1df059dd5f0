import assert from "node:assert/strict";
import { keys } from "../store/keys.ts";
import { Instances } from "./instances.ts";

/** Waits (up to 10 s) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), `gave up waiting: ${what}`);
}

Deno.test("[instances] a lone instance sees no one; two on one store see each other until one stops", async () => {
  const kv = await Deno.openKv(":memory:");
  const a = new Instances(kv, 10);
  const b = new Instances(kv, 10);
  try {
    await a.start();
    assert.equal(a.othersSeen, false, "alone: nothing to poll for");
    await b.start();
    assert.equal(b.others, 1, "a newcomer sees the running instance at once");
    await until(() => a.othersSeen, "A to see B");
    await b.close();
    assert.equal((await kv.get(keys.instance(b.id))).value, null, "B's key is gone");
    await until(() => !a.othersSeen, "A to see B gone");
  } finally {
    await a.close();
    await b.close();
    kv.close();
  }
});

Deno.test("[instances] an entry older than the TTL (a process that died) does not count", async () => {
  const kv = await Deno.openKv(":memory:");
  await kv.set(keys.instance("crashed"), { at: Date.now() - 60_000 });
  const a = new Instances(kv, 10, 30_000);
  try {
    await a.start();
    assert.equal(a.othersSeen, false);
    await kv.set(keys.instance("alive"), { at: Date.now() });
    await until(() => a.others === 1, "A to count the live one only");
  } finally {
    await a.close();
    kv.close();
  }
});
