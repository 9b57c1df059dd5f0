/**
 * Which proxy headers Parley believes. `X-Forwarded-Host`, `-Proto`, `-For`
 * and `Forwarded` say where a request really came from, but anyone can send
 * them: they are believed only from a peer TRUSTED_PROXY names (or any peer
 * with `TRUSTED_PROXY=true`, for a proxy that overwrites them). From anyone
 * else they are taken off the request before the app sees it
 * ({@link dropUntrustedForwarding}), so every reader (Parley's own origin in
 * lib/domain/boundary.ts, {@link clientAddress}) can use them as they are.
 */
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";
import type { TrustedProxy } from "../../fresh.config.ts";
import { withBody } from "./with_body.ts";

const FORWARDING_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
];

function peerAddress(info: Deno.ServeHandlerInfo): string | null {
  const addr = info.remoteAddr as Deno.NetAddr;
  return addr?.hostname ?? null;
}

/** `req` as the app should see it: without forwarding headers unless the peer is a trusted proxy. */
export function dropUntrustedForwarding(
  req: Request,
  info: Deno.ServeHandlerInfo,
  trusted: TrustedProxy,
): Request {
  if (trusted === "any") return req;
  const peer = peerAddress(info);
  if (trusted && peer !== null && trusted.includes(peer)) return req;
  if (!FORWARDING_HEADERS.some((h) => req.headers.has(h))) return req;
  const headers = new Headers(req.headers);
  for (const h of FORWARDING_HEADERS) headers.delete(h);
  return withBody(req, req.body, headers);
}

/**
 * The client's address: what the nearest trusted proxy saw (the last
 * `X-Forwarded-For` entry; the header is only there when it is believed),
 * else the connection's peer.
 */
export function clientAddress(c: Context): string {
  const forwarded = c.req.header("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(
    Boolean,
  );
  if (forwarded?.length) return forwarded[forwarded.length - 1].slice(0, 100);
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
