/**
 * Opens Deno KV from `KV_PATH`: a local file (its folder created),
 * `:memory:`, a KV Connect URL (a self-hosted `denokv` server; Deno reads the
 * token from `DENO_KV_ACCESS_TOKEN`), or Deno Deploy's managed KV (null).
 */

/** What kind of store a `KV_PATH` names; it decides the folder, the poll and the checks. */
export type KvStoreKind = "deploy" | "memory" | "remote" | "file";

/** A KV Connect URL: `http://` or `https://` (any other scheme is not a store Deno can open). */
export const KV_CONNECT_URL = /^https?:\/\//i;

export function kvStoreKind(path: string | null): KvStoreKind {
  if (path === null) return "deploy";
  if (path === ":memory:") return "memory";
  if (KV_CONNECT_URL.test(path)) return "remote";
  return "file";
}

export async function openKv(path: string | null): Promise<Deno.Kv> {
  if (path === null) return await Deno.openKv();
  if (kvStoreKind(path) === "file") {
    const dir = path.replace(/[^/]*$/, "");
    if (dir) await Deno.mkdir(dir, { recursive: true });
  }
  return await Deno.openKv(path);
}
