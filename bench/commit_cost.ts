/**
 * What a commit costs on a store, and how much of a message's commit its
 * writes are (for `deno task bench`): the ceiling group commit can reach.
 *
 * A group of n messages is one commit holding n messages' writes; n raw
 * commits are n small commits. Even with no JavaScript at all, the group
 * takes as long as the store takes to write all of it, so
 *   ceiling = n × (one raw commit) / (one commit of n messages' writes).
 * Both are timed here on the same store, as synthetic commits of the same
 * shape (sets of small values, checks of absent keys).
 */

/** The writes and checks one engine call commits (counted from its atomic op). */
export interface OpShape {
  sets: number;
  sums: number;
  checks: number;
  /** Of the sets, the search postings (["search", …]). */
  searchSets: number;
}

/** Runs `work` and counts what its commits write (all commits it makes, added up). */
export async function shapeOf(work: () => Promise<unknown>): Promise<OpShape> {
  const shape: OpShape = { sets: 0, sums: 0, checks: 0, searchSets: 0 };
  const proto = Deno.AtomicOperation.prototype;
  const { mutate, check } = proto;
  proto.mutate = function (this: Deno.AtomicOperation, ...ms: Deno.KvMutation[]) {
    for (const m of ms) {
      if (m.type === "set") {
        shape.sets++;
        if (m.key[0] === "search") shape.searchSets++;
      } else if (m.type === "sum") shape.sums++;
    }
    return mutate.apply(this, ms);
  };
  proto.check = function (this: Deno.AtomicOperation, ...cs: Deno.AtomicCheck[]) {
    shape.checks += cs.length;
    return check.apply(this, cs);
  };
  try {
    await work();
  } finally {
    proto.mutate = mutate;
    proto.check = check;
  }
  return shape;
}

/** Milliseconds per commit of `sets` small sets and `checks` checks (best of 3 rounds). */
export async function commitMs(
  kv: Deno.Kv,
  sets: number,
  checks: number,
  commits: number,
): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < commits; i++) {
      const op = kv.atomic();
      for (let c = 0; c < checks; c++) {
        op.check({ key: ["bench_cost_check", c], versionstamp: null });
      }
      for (let s = 0; s < sets; s++) op.set(["bench_cost", s, i % 100], { i, text: "hello there" });
      await op.commit();
    }
    best = Math.min(best, (performance.now() - t0) / commits);
  }
  return best;
}
