/**
 * The audit log: who changed which account or setting, and when (keys in ./keys.ts).
 *
 * Stores owned by the admin console write their audit entry in the same atomic
 * operation as the change itself ({@link commitAudited}), so an entry exists
 * exactly when the change does. Changes made through other areas' stores
 * (routing settings, widget sites, the WhatsApp connection) are recorded right
 * after their commit with {@link recordAudit}. Entries never hold secrets: the
 * WhatsApp form records which fields changed, not their values.
 */
import { conflict } from "../errors.ts";
import { newId } from "../ids.ts";
import { type NewChange, readHead, retryCommit, withChanges } from "./changes.ts";
import type { Engine } from "./engine/engine.ts";
import { keys } from "./keys.ts";

/** What an audit entry is about. */
export const AUDIT_TARGETS = [
  "agent",
  "team",
  "quick_response",
  "settings",
  "site",
  "whatsapp",
  "api_key",
  "webhook",
  "contact",
] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];

export interface AuditEntry {
  id: string;
  at: string;
  /** Who made the change (an admin, or an agent for their personal quick responses). */
  actorId: string;
  actorName: string;
  /** e.g. "agent.created", "agent.deactivated", "settings.updated" */
  action: string;
  targetType: AuditTarget;
  targetId: string;
  /** A readable name of the target at the time (agent email, team name, …). */
  targetLabel: string;
  /** Small, secret-free description of what changed, e.g. the changed field names. */
  details?: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, "id" | "at">;

/** Who is acting, as audit entries need it. */
export interface Actor {
  id: string;
  name: string;
}

function entryFrom(input: NewAuditEntry): AuditEntry {
  return { id: newId(), at: new Date().toISOString(), ...input };
}

/** Adds the audit entry to an atomic operation the caller commits. */
export function addAudit(op: Deno.AtomicOperation, input: NewAuditEntry): AuditEntry {
  const entry = entryFrom(input);
  op.set(keys.audit(entry.id), entry);
  return entry;
}

/** Records an audit entry on its own (for changes committed by another area's store). */
export async function recordAudit(kv: Deno.Kv, input: NewAuditEntry): Promise<AuditEntry> {
  const op = kv.atomic();
  const entry = addAudit(op, input);
  await op.commit();
  return entry;
}

/**
 * Commits an admin change with its audit entry and change-log entries in one
 * atomic operation. `prepare` reads what it depends on, throws a typed error
 * when a rule forbids the change, and returns an operation holding its checks
 * and mutations; a commit lost to a concurrent write runs `prepare` again.
 */
export async function commitAudited<T>(
  engine: Engine,
  prepare: () => Promise<{
    op: Deno.AtomicOperation;
    value: T;
    audit: NewAuditEntry | null;
    changes?: NewChange[];
  }>,
): Promise<T> {
  const { kv } = engine;
  const value = await retryCommit<T>(
    async () => {
      const head = await readHead(kv);
      const prepared = await prepare();
      if (prepared.audit) addAudit(prepared.op, prepared.audit);
      const changes = prepared.changes ?? [];
      if (changes.length) withChanges(prepared.op, head, changes);
      const result = await prepared.op.commit();
      return result.ok ? { ok: true, value: prepared.value } : { ok: false };
    },
    () => conflict("busy", "The record changed many times at once; try again."),
  );
  engine.changes.ring();
  return value;
}

export interface AuditFilter {
  targetType?: AuditTarget;
  actorId?: string;
  targetId?: string;
  /** Case-insensitive text found in the action, actor name or target label. */
  q?: string;
  /** Only entries older than this id (the previous page's `cursor`). */
  before?: string;
  limit?: number;
}

/**
 * Audit entries newest first, filtered, at most `limit` (default 50). `cursor`
 * is set when older entries may remain. Scans at most 5000 entries per call.
 */
export async function listAudit(
  kv: Deno.Kv,
  filter: AuditFilter = {},
): Promise<{ items: AuditEntry[]; cursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const q = filter.q?.trim().toLowerCase() ?? "";
  const selector: Deno.KvListSelector = filter.before
    ? { prefix: keys.auditPrefix(), end: keys.audit(filter.before) }
    : { prefix: keys.auditPrefix() };
  const items: AuditEntry[] = [];
  let scanned = 0;
  let lastId: string | null = null;
  for await (const entry of kv.list<AuditEntry>(selector, { reverse: true, batchSize: 200 })) {
    scanned++;
    lastId = entry.value.id;
    const e = entry.value;
    if (
      (!filter.targetType || e.targetType === filter.targetType) &&
      (!filter.actorId || e.actorId === filter.actorId) &&
      (!filter.targetId || e.targetId === filter.targetId) &&
      (!q || `${e.action} ${e.actorName} ${e.targetLabel}`.toLowerCase().includes(q))
    ) {
      items.push(e);
      if (items.length === limit) return { items, cursor: e.id };
    }
    if (scanned >= 5000) return { items, cursor: lastId };
  }
  return { items, cursor: null };
}
