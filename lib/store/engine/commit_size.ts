/**
 * How big a group commit would be (./commit_queue.ts): which keys an attempt
 * meets (to keep attempts on the same records out of one group) and what it
 * adds towards Deno KV's limits for one atomic operation (100 checks, 1000
 * mutations, 80 KiB of keys, 800 KiB in all: verified on Deno 2.9),
 * estimated generously, so a group never asks the store for more.
 */
import type { NewChange } from "../changes.ts";
import type { EngineOp } from "./op.ts";

/**
 * Deno KV's limits for one atomic operation, less what the group adds (the
 * head check and write, room for estimation error). Values are estimated by
 * {@link valueSize} (text at two bytes a char: V8 stores non-Latin-1 text so);
 * keys by their encoded size ({@link keySize}): a message's search postings
 * (./search_index.ts) are a dozen short keys, and twice their JSON would cut
 * groups in half for nothing.
 */
const LIMITS = { checks: 98, mutations: 990, keyBytes: 70 * 1024, bytes: 700 * 1024 };

/** What an attempt adds to a group's atomic operation. */
export interface Cost {
  checks: number;
  mutations: number;
  keyBytes: number;
  bytes: number;
}

/** An attempt alone is not sized: it meets no one and always fits. */
export const NO_COST: Cost = Object.freeze({ checks: 0, mutations: 0, keyBytes: 0, bytes: 0 });

/** The group's cost with one more attempt, or null when that would pass a limit. */
export function fitsTogether(total: Cost, more: Cost): Cost | null {
  const sum = {
    checks: total.checks + more.checks,
    mutations: total.mutations + more.mutations,
    keyBytes: total.keyBytes + more.keyBytes,
    bytes: total.bytes + more.bytes,
  };
  return sum.checks <= LIMITS.checks && sum.mutations <= LIMITS.mutations &&
      sum.keyBytes <= LIMITS.keyBytes && sum.bytes <= LIMITS.bytes
    ? sum
    : null;
}

/**
 * The keys an attempt meets (what it read, checked or wrote, but not the
 * counters it adds to: sums commute) and what it costs.
 */
export function sizeOfAttempt(
  read: readonly { key: Deno.KvKey }[],
  op: EngineOp,
  changes: NewChange[] = [],
): { keys: Set<string>; cost: Cost } {
  const keys = keysOf(read);
  for (const c of op.checks) keys.add(keyId(c.key));
  // Checked keys count towards the key bytes too (the group may share some: counted each time).
  let keyBytes = 0;
  for (const e of read) keyBytes += keySize(e.key);
  for (const c of op.checks) keyBytes += keySize(c.key);
  let bytes = keyBytes;
  for (const m of op.mutations) {
    if (m.type !== "sum") keys.add(keyId(m.key));
    const size = keySize(m.key);
    keyBytes += size;
    bytes += size + (m.type === "sum" ? 8 : "value" in m ? valueSize(m.value) : 0);
  }
  for (const c of changes) bytes += valueSize(c) + 64;
  keyBytes += changes.length * 32;
  for (const q of op.enqueued) bytes += valueSize(q.value);
  const cost = {
    // + 1: the head of its conversation's change-log shard, when no one else checks it.
    checks: read.length + op.checks.length + 1,
    // Queue messages count against the op's mutation limit too.
    mutations: op.mutations.length + changes.length + op.enqueued.length,
    keyBytes,
    bytes,
  };
  return { keys, cost };
}

/** The ids of the keys read. */
export function keysOf(read: readonly { key: Deno.KvKey }[]): Set<string> {
  return new Set(read.map((e) => keyId(e.key)));
}

export const keyId = (key: Deno.KvKey): string => JSON.stringify(key);

/**
 * A key's size as Deno KV encodes it (a tag byte per part, strings and bytes
 * in UTF-8 with a terminator, numbers in 8 bytes), rounded up a little.
 */
export function keySize(key: Deno.KvKey): number {
  let n = 4;
  for (const part of key) {
    if (typeof part === "string") n += utf8Length(part) + 3;
    else if (part instanceof Uint8Array) n += part.length + 3;
    else if (typeof part === "bigint") n += 2 + Math.ceil(part.toString(16).length / 2);
    else n += 10; // number, boolean
  }
  return n;
}

/** A string's length in UTF-8 without encoding it (keys are mostly ASCII: one pass, no copy). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      n += 1;
      continue;
    }
    n += 2; // 3 bytes (a lone surrogate too: it is encoded as U+FFFD)
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++; // a pair: 4 bytes
  }
  return n;
}

/**
 * A value's size as V8 serializes it for KV, rounded up (each string counted
 * at two bytes a character, each container with room for its tags and
 * lengths), by walking it: no copy is made (JSON.stringify made one per
 * value, the largest allocation per message in the server's profile).
 * Anything deeper than {@link MAX_DEPTH} counts as a whole value.
 */
export function valueSize(value: unknown): number {
  return 4 + sizeOf(value, 0); // + the serializer's header
}

function sizeOf(value: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return WHOLE_VALUE;
  switch (typeof value) {
    case "string":
      return 2 * value.length + 6;
    case "number":
      return 9;
    case "bigint":
      return 2 + Math.ceil(value.toString(16).length / 2) + 8;
    case "boolean":
    case "undefined":
      return 1;
    case "object":
      break;
    default:
      return WHOLE_VALUE; // a function or symbol cannot be stored; the store will say so
  }
  if (value === null) return 1;
  if (value instanceof Date) return 9;
  if (ArrayBuffer.isView(value)) return value.byteLength + 12;
  if (value instanceof ArrayBuffer) return value.byteLength + 6;
  let n = 12;
  if (Array.isArray(value)) {
    for (const item of value) n += sizeOf(item, depth + 1);
    return n;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) n += sizeOf(k, depth + 1) + sizeOf(v, depth + 1);
    return n;
  }
  if (value instanceof Set) {
    for (const item of value) n += sizeOf(item, depth + 1);
    return n;
  }
  for (const key in value) {
    n += 2 * key.length + 6 + sizeOf((value as Record<string, unknown>)[key], depth + 1);
  }
  return n;
}

const MAX_DEPTH = 64;
const WHOLE_VALUE = 64 * 1024;
