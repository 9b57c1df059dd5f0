/**
 * What one engine call commits (for `deno task bench`): the sets, sums and
 * checks a message's commit carries, against the raw baseline's one set and
 * one check. (A synthetic "ten messages in one commit" timing was tried as a
 * ceiling and dropped: the real groups beat it, so it measured the wrong
 * shape.)
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
