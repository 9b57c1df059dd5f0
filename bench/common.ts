/** Pieces every benchmark shares: numeric `--name value` arguments and the raw KV baseline. */

/** The number after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/**
 * The raw KV baseline: `commits` sequential atomic ops, each checking one
 * key's versionstamp and setting it (the cheapest commit that still checks
 * something), in commits per second.
 */
export async function rawCommitRate(kv: Deno.Kv, commits: number): Promise<number> {
  let entry = await kv.get<number>(["bench_raw"]);
  const t0 = performance.now();
  for (let i = 0; i < commits; i++) {
    const res = await kv.atomic().check(entry).set(["bench_raw"], i).commit();
    if (!res.ok) throw new Error("raw commit lost a race it cannot lose");
    entry = { key: entry.key, value: i, versionstamp: res.versionstamp };
  }
  return commits / ((performance.now() - t0) / 1000);
}
