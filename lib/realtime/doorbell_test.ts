import assert from "node:assert/strict";
import { Doorbell } from "./doorbell.ts";

/** The first ring whose entries satisfy `match` (the test fails if none comes within 10 s). */
function ringWhen(match: (entries: Deno.KvEntryMaybe<unknown>[]) => boolean) {
  let resolve: (entries: Deno.KvEntryMaybe<unknown>[]) => void = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rung = Promise.race([
    new Promise<Deno.KvEntryMaybe<unknown>[]>((r) => resolve = r),
    new Promise<never>((_, reject) =>
      timer = setTimeout(() => reject(new Error("the doorbell never rang")), 10_000)
    ),
  ]).finally(() => clearTimeout(timer));
  return {
    rung,
    listener: (entries: Deno.KvEntryMaybe<unknown>[]) => {
      if (match(entries)) resolve(entries);
    },
  };
}

Deno.test("[doorbell] the poll rings for a write its watch does not report", async () => {
  const kv = await Deno.openKv(":memory:");
  // A watch that reports the current value once and then nothing more (as a local KV file's
  // watch behaves for another process's writes).
  kv.watch = ((keys: Deno.KvKey[]) =>
    new ReadableStream<Deno.KvEntryMaybe<unknown>[]>({
      async start(controller) {
        controller.enqueue(await kv.getMany(keys));
      },
    })) as unknown as typeof kv.watch;
  const { rung, listener } = ringWhen((entries) => entries[0].value === 2);
  const bell = new Doorbell(kv, [["head"]], listener, { pollMs: 10 });
  try {
    await kv.set(["head"], 1);
    bell.start();
    await kv.set(["head"], 2);
    const entries = await rung;
    assert.equal(entries[0].value, 2);
  } finally {
    await bell.close();
    kv.close();
  }
});

Deno.test("[doorbell] a watch that fails falls back to polling, even when no poll was set", async () => {
  const kv = await Deno.openKv(":memory:");
  kv.watch = (() =>
    new ReadableStream({
      start(controller) {
        controller.error(new Error("watch is not supported by this server"));
      },
    })) as unknown as typeof kv.watch;
  const errors: unknown[][] = [];
  const log = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  const { rung, listener } = ringWhen((entries) => entries[0].value === "news");
  const bell = new Doorbell(kv, [["head"]], listener, { label: "test bell" });
  try {
    assert.equal(bell.polling, false);
    bell.start();
    await kv.set(["head"], "news");
    await rung;
    assert.equal(bell.polling, true);
    assert.match(String(errors[0][0]), /test bell watch failed; polling every \d+ ms/);
  } finally {
    await bell.close();
    console.error = log;
    kv.close();
  }
});
