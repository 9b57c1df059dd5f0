/**
 * Where a webhook may be sent. An admin types any URL, and the server then makes requests to it
 * from inside the network it runs in: without a guard, a webhook could reach the cloud metadata
 * service (169.254.169.254), the database next door or the server itself (server-side request
 * forgery). So, unless `WEBHOOK_ALLOW_PRIVATE=1` (a receiver on the same private network, tests),
 * a target must be a public address:
 *
 * - when an endpoint is added or its URL changed, a URL naming a private address, `localhost`, or
 *   a host whose DNS answers are private is refused (400) with the reason;
 * - at every delivery attempt the host is resolved again and the attempt is refused (recorded as
 *   failed with the reason, retried like any failure) when an answer is private, because DNS
 *   answers change after the endpoint was saved. Redirects are never followed (dispatch.ts).
 *
 * What is left: the HTTP client resolves the name once more after this check, so a DNS server
 * that answers differently within that millisecond window (rebinding) is not stopped here; a
 * network egress policy is the complete answer, this is the in-app layer.
 */

/** Why `ip` is not a public unicast address, or null when it is. */
export function privateAddressReason(ip: string): string | null {
  const v4 = parseIPv4(ip);
  if (v4) return privateIPv4(v4);
  const v6 = parseIPv6(ip);
  if (!v6) return "not an IP address";
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged as the IPv4 address.
  const mapped = v6.slice(0, 5).every((w) => w === 0) && (v6[5] === 0xffff || v6[5] === 0);
  if (mapped && (v6[6] !== 0 || v6[7] > 1)) {
    return privateIPv4([v6[6] >> 8, v6[6] & 255, v6[7] >> 8, v6[7] & 255]);
  }
  if (v6.every((w) => w === 0)) return "unspecified address";
  if (v6.slice(0, 7).every((w) => w === 0) && v6[7] === 1) return "loopback address";
  if ((v6[0] & 0xfe00) === 0xfc00) return "private address (unique local)";
  if ((v6[0] & 0xffc0) === 0xfe80) return "link-local address";
  if ((v6[0] & 0xff00) === 0xff00) return "multicast address";
  if (v6[0] === 0x2001 && v6[1] === 0x0db8) return "documentation address";
  if (v6[0] === 0x0064 && v6[1] === 0xff9b) return "NAT64 address"; // may reach private IPv4
  return null;
}

function privateIPv4([a, b, c]: number[]): string | null {
  if (a === 0) return "unspecified address";
  if (a === 127) return "loopback address";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return "private address";
  }
  if (a === 100 && b >= 64 && b <= 127) return "shared address space (carrier NAT)";
  if (a === 169 && b === 254) return "link-local address (cloud metadata lives here)";
  if (a === 192 && b === 0 && c === 0) return "reserved address";
  if (a === 198 && (b === 18 || b === 19)) return "benchmarking address";
  if (a >= 224) return a < 240 ? "multicast address" : "reserved address";
  return null;
}

function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const nums = parts.map(Number);
  return nums.every((n) => n <= 255) ? nums : null;
}

/** The eight 16-bit groups of an IPv6 address (an IPv4 tail allowed), or null. */
function parseIPv6(s: string): number[] | null {
  let text = s.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!text.includes(":")) return null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return null;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => part === "" ? [] : part.split(":");
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (![...left, ...right].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const known = left.length + right.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...left, ...new Array(8 - known).fill("0"), ...right].map((g) => parseInt(g, 16));
}

export type Resolve = (host: string) => Promise<string[]>;

/** A and AAAA answers for `host` (an empty list when it has none or DNS fails). */
export const resolveHost: Resolve = async (host) => {
  const answers = await Promise.allSettled([
    Deno.resolveDns(host, "A"),
    Deno.resolveDns(host, "AAAA"),
  ]);
  return answers.flatMap((a) => a.status === "fulfilled" ? a.value : []);
};

/**
 * Why a webhook may not be sent to `url`, or null when it may. `unresolved` says what to do when
 * the host has no DNS answer: allowed when saving (the receiver may not exist yet), refused at
 * delivery (there is nowhere to send).
 */
export async function webhookTargetRefusal(
  url: string,
  opts: { allowPrivate: boolean; unresolved: "allow" | "refuse"; resolve?: Resolve },
): Promise<string | null> {
  if (opts.allowPrivate) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) {
    return `${host} is this server (loopback).`;
  }
  if (parseIPv4(host) || parseIPv6(host)) {
    const reason = privateAddressReason(host);
    return reason ? `${host} is a ${reason}.` : null;
  }
  const addresses = await (opts.resolve ?? resolveHost)(host);
  if (addresses.length === 0) {
    return opts.unresolved === "refuse" ? `${host} does not resolve to any address.` : null;
  }
  for (const ip of addresses) {
    const reason = privateAddressReason(ip);
    if (reason) return `${host} resolves to ${ip}, a ${reason}.`;
  }
  return null;
}

/** The hint added to refusals, naming the setting that lifts them. */
export const ALLOW_PRIVATE_HINT =
  "Webhooks go to public addresses only (set WEBHOOK_ALLOW_PRIVATE=1 for a receiver on your own network).";
