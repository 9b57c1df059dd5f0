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

/** KV could not be opened (a folder, the file, or a KV Connect server refused): start-up stops. */
export class KvOpenError extends Error {
  override name = "KvOpenError";
}

/** Opens the store `path` names; a failure is a {@link KvOpenError} that says which store. */
export async function openKv(path: string | null): Promise<Deno.Kv> {
  const kind = kvStoreKind(path);
  const where = kind === "deploy" ? "Deno Deploy's KV" : `KV_PATH "${path}"`;
  try {
    if (kind === "file") {
      const dir = path!.replace(/[^/]*$/, "");
      if (dir) await Deno.mkdir(dir, { recursive: true });
    }
    // A KV Connect URL: Deno exchanges DENO_KV_ACCESS_TOKEN for the database's endpoints now.
    return path === null ? await Deno.openKv() : await Deno.openKv(path);
  } catch (err) {
    throw new KvOpenError(`cannot open ${where}: ${err instanceof Error ? err.message : err}`);
  }
}
