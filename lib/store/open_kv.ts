/**
 * Opens Deno KV from `KV_PATH`: a local file (its folder created),
 * `:memory:`, a KV Connect URL (a self-hosted `denokv` server; Deno reads the
 * token from `DENO_KV_ACCESS_TOKEN`), or Deno Deploy's managed KV (null).
 */
import { kvStoreKind } from "../../fresh.config.ts";

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
