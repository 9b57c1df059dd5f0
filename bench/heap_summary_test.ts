/**
 * bench/heap_summary.ts says what holds memory; this checks it on a real V8
 * heap snapshot of a known shape, so its figures can be trusted in a report:
 * retained sizes follow ownership (the dominator tree), not references.
 */
import assert from "node:assert/strict";
import { writeHeapSnapshot } from "node:v8";
import { load, summarize } from "./heap_summary.ts";

class HoldsAlone {
  constructor(readonly items: string[]) {}
}
class SharesItsItems {
  constructor(readonly items: string[]) {}
}

/** A distinct flat string of about 1 KiB (no rope V8 could share between strings). */
function kib(tag: string, i: number): string {
  const bytes = new Uint8Array(1000).fill(97);
  bytes.set(new TextEncoder().encode(`${tag}${i}`));
  return new TextDecoder().decode(bytes);
}

Deno.test("heap summary: what one owner alone holds is its retained size, shared data is not", async () => {
  const mib = 1024 * 1024;
  // ~2 MiB of distinct strings only HoldsAlone reaches; ~2 MiB reached from two owners.
  const alone = new HoldsAlone(Array.from({ length: 2000 }, (_, i) => kib("a", i)));
  const sharedItems = Array.from({ length: 2000 }, (_, i) => kib("s", i));
  const owners = [new SharesItsItems(sharedItems), new SharesItsItems(sharedItems)];
  const dir = await Deno.makeTempDir();
  try {
    const file = writeHeapSnapshot(`${dir}/test.heapsnapshot`);
    const { rows } = summarize(await load(file));
    const held = rows.get("HoldsAlone");
    const shared = rows.get("SharesItsItems");
    assert(held && shared, "both constructors are in the snapshot");
    assert(held.count === 1 && shared.count === 2);
    assert(held.retained > 1.9 * mib, `HoldsAlone retains its strings (${held.retained})`);
    assert(held.self < 1024, "its own size is just the object");
    // Neither SharesItsItems owns the array alone: its retained size is only itself.
    assert(
      shared.retained < 1024,
      `shared data is not counted to either owner (${shared.retained})`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(alone.items.length && owners.length); // keep them alive until the snapshot is taken
});
