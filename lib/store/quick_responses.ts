/**
 * Quick responses in KV (keys in ./keys.ts): title, shortcut, body with
 * placeholders (syntax in lib/domain/quick_responses.ts), and a scope:
 *
 * - `everyone`: every staff member may use it; admins manage it;
 * - `team`: members of `teamId` may use it; admins manage it;
 * - `personal`: only `ownerId` uses and manages it (admins may manage it too).
 *
 * A shortcut is unique within its scope (one per team, one per owner), kept by
 * an index written in the same atomic operation as the record.
 */
import { z } from "zod";
import { validateTemplate } from "../domain/quick_responses.ts";
import { badRequest, conflict, forbidden, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { type Actor, commitAudited } from "./audit.ts";
import { keys } from "./keys.ts";
import type { Engine } from "./engine/engine.ts";

export const QUICK_RESPONSE_SCOPES = ["everyone", "team", "personal"] as const;
export type QuickResponseScope = (typeof QUICK_RESPONSE_SCOPES)[number];

export interface QuickResponse {
  id: string;
  title: string;
  /** Lowercase, without the leading "/" the agent types. */
  shortcut: string;
  body: string;
  scope: QuickResponseScope;
  teamId: string | null;
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The body field: non-empty, bounded, and free of placeholder syntax errors. */
export const quickResponseBodySchema = z.string().trim().min(1, "Body is required").max(
  4000,
  "Body is at most 4000 characters",
).superRefine((body, ctx) => {
  for (const message of validateTemplate(body)) ctx.addIssue({ code: "custom", message });
});

/** What a client sends to create or replace a quick response. */
export const quickResponseInputSchema = z.object({
  title: z.string().trim().min(1, "Title is required").max(100, "Title is at most 100 characters"),
  shortcut: z.string().trim().toLowerCase().transform((s) => s.replace(/^\//, "")).pipe(
    z.string().regex(
      /^[a-z0-9][a-z0-9_-]{0,31}$/,
      "Shortcut: 1 to 32 letters, digits, - or _ (e.g. /thanks)",
    ),
  ),
  body: quickResponseBodySchema,
  scope: z.enum(QUICK_RESPONSE_SCOPES).default("everyone"),
  teamId: z.string().trim().max(100).nullish().transform((v) => v || null),
  ownerId: z.string().trim().max(100).nullish().transform((v) => v || null),
}).superRefine((v, ctx) => {
  if (v.scope === "team" && !v.teamId) {
    ctx.addIssue({ code: "custom", path: ["teamId"], message: "Choose the team" });
  }
});
export type QuickResponseInput = z.infer<typeof quickResponseInputSchema>;

/** The staff member acting, as the quick-response rules need it. */
export interface QuickResponseCaller extends Actor {
  role: "agent" | "supervisor" | "admin";
  teamId: string | null;
}

/** The index bucket of a quick response: "everyone", "team:ID" or "personal:ID". */
export function scopeKey(qr: Pick<QuickResponse, "scope" | "teamId" | "ownerId">): string {
  if (qr.scope === "team") return `team:${qr.teamId}`;
  if (qr.scope === "personal") return `personal:${qr.ownerId}`;
  return "everyone";
}

/** Admins manage every quick response; others only their personal ones. */
export function canManageQuickResponse(
  caller: { id: string; role: string },
  qr: Pick<QuickResponse, "scope" | "ownerId">,
): boolean {
  return caller.role === "admin" || (qr.scope === "personal" && qr.ownerId === caller.id);
}

/** May the caller use (insert) this quick response in a conversation? */
export function canUseQuickResponse(
  caller: { id: string; teamId: string | null },
  qr: Pick<QuickResponse, "scope" | "teamId" | "ownerId">,
): boolean {
  return qr.scope === "everyone" ||
    (qr.scope === "team" && qr.teamId !== null && qr.teamId === caller.teamId) ||
    (qr.scope === "personal" && qr.ownerId === caller.id);
}

/**
 * Resolves who a new or edited quick response belongs to: non-admins may only
 * write personal ones for themselves; admins writing a personal one default
 * the owner to themselves.
 */
function normalise(input: QuickResponseInput, caller: QuickResponseCaller): QuickResponseInput {
  if (caller.role !== "admin") {
    if (input.scope !== "personal") {
      throw forbidden("Only admins manage shared quick responses; yours are personal.");
    }
    return { ...input, ownerId: caller.id, teamId: null };
  }
  if (input.scope === "personal") {
    return { ...input, ownerId: input.ownerId ?? caller.id, teamId: null };
  }
  if (input.scope === "team") return { ...input, ownerId: null };
  return { ...input, teamId: null, ownerId: null };
}

/** The quick response with this id, or null. */
export async function getQuickResponse(kv: Deno.Kv, id: string): Promise<QuickResponse | null> {
  return (await kv.get<QuickResponse>(keys.quickResponse(id))).value;
}

async function listScope(kv: Deno.Kv, scope: string): Promise<QuickResponse[]> {
  const ids: string[] = [];
  for await (const e of kv.list({ prefix: keys.quickResponsesByScopePrefix(scope) })) {
    ids.push(e.key[e.key.length - 1] as string);
  }
  const out: QuickResponse[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const entries = await kv.getMany<QuickResponse[]>(
      ids.slice(i, i + 10).map((id) => keys.quickResponse(id)),
    );
    for (const e of entries) if (e.value) out.push(e.value);
  }
  return out;
}

const byTitle = (a: QuickResponse, b: QuickResponse) =>
  a.title.localeCompare(b.title) || a.shortcut.localeCompare(b.shortcut);

/** Every quick response (the admin console's list), by title. */
export async function listAllQuickResponses(kv: Deno.Kv): Promise<QuickResponse[]> {
  const out: QuickResponse[] = [];
  for await (const e of kv.list<QuickResponse>({ prefix: keys.quickResponsesPrefix() })) {
    out.push(e.value);
  }
  return out.sort(byTitle);
}

/** What a staff member may use: everyone's, their team's and their own, by title. */
export async function listUsableQuickResponses(
  kv: Deno.Kv,
  caller: { id: string; teamId: string | null },
): Promise<QuickResponse[]> {
  const scopes = ["everyone", `personal:${caller.id}`];
  if (caller.teamId) scopes.push(`team:${caller.teamId}`);
  const lists = await Promise.all(scopes.map((s) => listScope(kv, s)));
  return lists.flat().sort(byTitle);
}

async function checkReferences(kv: Deno.Kv, op: Deno.AtomicOperation, qr: QuickResponseInput) {
  if (qr.scope === "team") {
    const team = await kv.get(keys.team(qr.teamId!));
    if (!team.value) {
      throw badRequest("invalid", "teamId: That team does not exist", {
        fields: { teamId: "That team does not exist" },
      });
    }
    op.check(team);
  }
  if (qr.scope === "personal") {
    const owner = await kv.get(keys.agent(qr.ownerId!));
    if (!owner.value) {
      throw badRequest("invalid", "ownerId: That agent does not exist", {
        fields: { ownerId: "That agent does not exist" },
      });
    }
  }
}

function shortcutTaken(shortcut: string) {
  return conflict("shortcut_taken", `The shortcut /${shortcut} is already used in this scope.`);
}

function auditFor(actor: Actor, action: string, qr: QuickResponse) {
  return {
    actorId: actor.id,
    actorName: actor.name,
    action,
    targetType: "quick_response" as const,
    targetId: qr.id,
    targetLabel: `/${qr.shortcut} ${qr.title}`,
    details: { scope: scopeKey(qr) },
  };
}

const changed = (qr: QuickResponse) => [{
  type: "quick_response.changed",
  data: { id: qr.id, scope: scopeKey(qr) },
}];

/** Creates a quick response for `caller` (rules in {@link normalise}); 409 when the shortcut is taken. */
export async function createQuickResponse(
  engine: Engine,
  raw: QuickResponseInput,
  caller: QuickResponseCaller,
): Promise<QuickResponse> {
  const { kv } = engine;
  const input = normalise(raw, caller);
  const now = new Date().toISOString();
  const qr: QuickResponse = { id: newId(), ...input, createdAt: now, updatedAt: now };
  const scope = scopeKey(qr);
  return await commitAudited(engine, async () => {
    const op = kv.atomic();
    await checkReferences(kv, op, input);
    const taken = await kv.get(keys.quickResponseByShortcut(scope, qr.shortcut));
    if (taken.value) throw shortcutTaken(qr.shortcut);
    op.check(taken)
      .set(keys.quickResponse(qr.id), qr)
      .set(keys.quickResponseByScope(scope, qr.id), true)
      .set(keys.quickResponseByShortcut(scope, qr.shortcut), qr.id);
    return {
      op,
      value: qr,
      audit: auditFor(caller, "quick_response.created", qr),
      changes: changed(qr),
    };
  });
}

/** Replaces a quick response's fields, moving its indexes when scope or shortcut change. */
export async function updateQuickResponse(
  engine: Engine,
  id: string,
  raw: QuickResponseInput,
  caller: QuickResponseCaller,
): Promise<QuickResponse> {
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    const entry = await kv.get<QuickResponse>(keys.quickResponse(id));
    const before = entry.value;
    if (!before || !canManageQuickResponse(caller, before)) throw notFound("Quick response");
    const input = normalise(raw, caller);
    const next: QuickResponse = { ...before, ...input, updatedAt: new Date().toISOString() };
    const oldScope = scopeKey(before);
    const newScope = scopeKey(next);
    const op = kv.atomic().check(entry);
    await checkReferences(kv, op, input);
    if (oldScope !== newScope || before.shortcut !== next.shortcut) {
      const taken = await kv.get(keys.quickResponseByShortcut(newScope, next.shortcut));
      if (taken.value && taken.value !== id) throw shortcutTaken(next.shortcut);
      op.check(taken)
        .delete(keys.quickResponseByShortcut(oldScope, before.shortcut))
        .delete(keys.quickResponseByScope(oldScope, id))
        .set(keys.quickResponseByScope(newScope, id), true)
        .set(keys.quickResponseByShortcut(newScope, next.shortcut), id);
    }
    op.set(keys.quickResponse(id), next);
    return {
      op,
      value: next,
      audit: auditFor(caller, "quick_response.updated", next),
      changes: changed(next),
    };
  });
}

/** Deletes a quick response the caller may manage (404 otherwise), with its indexes. */
export async function deleteQuickResponse(
  engine: Engine,
  id: string,
  caller: QuickResponseCaller,
): Promise<void> {
  const { kv } = engine;
  await commitAudited(engine, async () => {
    const entry = await kv.get<QuickResponse>(keys.quickResponse(id));
    const qr = entry.value;
    if (!qr || !canManageQuickResponse(caller, qr)) throw notFound("Quick response");
    const scope = scopeKey(qr);
    return {
      op: kv.atomic().check(entry)
        .delete(keys.quickResponse(id))
        .delete(keys.quickResponseByScope(scope, id))
        .delete(keys.quickResponseByShortcut(scope, qr.shortcut)),
      value: undefined,
      audit: auditFor(caller, "quick_response.deleted", qr),
      changes: changed(qr),
    };
  });
}

/** The portable form of a quick response, as exported and imported. */
export interface QuickResponseExport {
  title: string;
  shortcut: string;
  body: string;
  scope: QuickResponseScope;
  teamId: string | null;
  ownerId: string | null;
}

export const quickResponseImportSchema = z.object({
  quickResponses: z.array(quickResponseInputSchema).max(500, "At most 500 quick responses at once"),
});

/** The portable form of a quick response (no id, no times). */
export function exportQuickResponse(qr: QuickResponse): QuickResponseExport {
  const { title, shortcut, body, scope, teamId, ownerId } = qr;
  return { title, shortcut, body, scope, teamId, ownerId };
}

/**
 * Imports validated quick responses: one whose scope already has its shortcut
 * replaces that one, others are created. Every item's team and owner are
 * checked before anything is written, so a bad reference changes nothing.
 */
export async function importQuickResponses(
  engine: Engine,
  items: QuickResponseInput[],
  caller: QuickResponseCaller,
): Promise<{ created: number; updated: number }> {
  const { kv } = engine;
  const normalised = items.map((item) => normalise(item, caller));
  const seen = new Set<string>();
  for (const [i, item] of normalised.entries()) {
    const key = `${scopeKey({ ...item })} ${item.shortcut}`;
    if (seen.has(key)) {
      throw badRequest("invalid", `quickResponses.${i}.shortcut: /${item.shortcut} appears twice`, {
        fields: { [`quickResponses.${i}.shortcut`]: `/${item.shortcut} appears twice` },
      });
    }
    seen.add(key);
    await checkReferences(kv, kv.atomic(), item);
  }
  let created = 0;
  let updated = 0;
  for (const item of normalised) {
    const existing = await kv.get<string>(
      keys.quickResponseByShortcut(scopeKey(item), item.shortcut),
    );
    if (existing.value) {
      await updateQuickResponse(engine, existing.value, item, caller);
      updated++;
    } else {
      await createQuickResponse(engine, item, caller);
      created++;
    }
  }
  return { created, updated };
}
