/**
 * Outgoing webhook endpoints and their delivery log in KV (keys in lib/store/keys.ts). An admin adds an
 * endpoint (URL, events, a secret Parley generates or the admin gives), may pause, edit or delete
 * it; each change is audited. The secret is kept (it signs every delivery) but never shown again
 * after creation except as a hint. Deliveries are written by ./dispatch.ts and kept
 * 7 days.
 */
import { z } from "zod";
import { badRequest, conflict, notFound } from "../errors.ts";
import { newId, randomToken } from "../ids.ts";
import { type Actor, commitAudited } from "../store/audit.ts";
import { keys } from "../store/keys.ts";
import { readHead } from "../store/changes.ts";
import type { Engine } from "../store/engine/engine.ts";
import { WEBHOOK_EVENT_NAMES, type WebhookEvent, type WebhookPayload } from "./events.ts";
import { ALLOW_PRIVATE_HINT, webhookTargetRefusal } from "./targets.ts";

export const MAX_WEBHOOKS = 20;
/** How long a delivery stays in the log. */
export const DELIVERY_TTL_MS = 7 * 24 * 60 * 60_000;

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  /** The secret's first characters, to tell endpoints apart. */
  secretHint: string;
  createdAt: string;
  createdBy: { id: string; name: string };
}

/** The stored record: the endpoint and its signing secret. */
export interface StoredWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  payload: WebhookPayload;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  /** The receiver's HTTP status, or null when it could not be reached. */
  lastStatus: number | null;
  /** Why the last attempt failed (status text, timeout, connection refused). */
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

const urlSchema = z.string().trim().max(2000).refine((v) => {
  try {
    return ["http:", "https:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, "Must be an http:// or https:// URL");

export const webhookInputSchema = z.object({
  url: urlSchema,
  events: z.array(z.enum(WEBHOOK_EVENT_NAMES as [WebhookEvent, ...WebhookEvent[]]))
    .min(1, "Choose at least one event").max(WEBHOOK_EVENT_NAMES.length)
    .transform((e) => WEBHOOK_EVENT_NAMES.filter((n) => e.includes(n))),
  /** Leave out to have Parley generate one (recommended). */
  secret: z.string().min(16, "A secret is at least 16 characters").max(200).optional(),
}).strict();
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const webhookUpdateSchema = z.object({
  url: urlSchema.optional(),
  events: webhookInputSchema.shape.events.optional(),
  active: z.boolean().optional(),
}).strict();
export type WebhookUpdate = z.infer<typeof webhookUpdateSchema>;

function publicEndpoint(stored: StoredWebhookEndpoint): WebhookEndpoint {
  const { secret: _hidden, ...rest } = stored;
  return rest;
}

function audit(actor: Actor, action: string, endpoint: WebhookEndpoint, details?: object) {
  return {
    actorId: actor.id,
    actorName: actor.name,
    action,
    targetType: "webhook" as const,
    targetId: endpoint.id,
    targetLabel: endpoint.url,
    ...(details ? { details: { ...details } } : {}),
  };
}

/**
 * When no endpoint was active, the dispatcher reads nothing and its cursor stands still: the
 * first active endpoint moves it to the change log's head in its own commit, so the dispatcher
 * starts from there (nothing before it is sent, nothing after it is missed).
 */
async function startCursorAtHead(kv: Deno.Kv, op: Deno.AtomicOperation): Promise<void> {
  const head = await readHead(kv);
  const cursor = await kv.get(keys.webhookCursor());
  op.check(cursor).set(keys.webhookCursor(), head.cursor);
}

/** Where endpoints may point (from `config.webhooks`). */
export interface TargetPolicy {
  allowPrivateTargets: boolean;
}

/** 400 `private_target` when `url` names or resolves to a private address (./targets.ts). */
async function checkTarget(url: string, policy: TargetPolicy): Promise<void> {
  const refusal = await webhookTargetRefusal(url, {
    allowPrivate: policy.allowPrivateTargets,
    unresolved: "allow",
  });
  if (refusal) {
    throw badRequest("private_target", `${refusal} ${ALLOW_PRIVATE_HINT}`, {
      fields: { url: `${refusal} ${ALLOW_PRIVATE_HINT}` },
    });
  }
}

/** Every endpoint, oldest first (secrets left out). */
export async function listWebhooks(kv: Deno.Kv): Promise<WebhookEndpoint[]> {
  return (await listStoredWebhooks(kv)).map(publicEndpoint);
}

/** Every endpoint with its secret, for the dispatcher. */
export async function listStoredWebhooks(kv: Deno.Kv): Promise<StoredWebhookEndpoint[]> {
  const out: StoredWebhookEndpoint[] = [];
  for await (const e of kv.list<StoredWebhookEndpoint>({ prefix: keys.webhooksPrefix() })) {
    out.push(e.value);
  }
  return out;
}

export async function getStoredWebhook(
  kv: Deno.Kv,
  id: string,
): Promise<StoredWebhookEndpoint | null> {
  if (id.length === 0 || id.length > 100) return null;
  return (await kv.get<StoredWebhookEndpoint>(keys.webhook(id))).value;
}

/** Adds an endpoint; the secret is answered here only. Audited in the same commit. */
export async function createWebhook(
  engine: Engine,
  input: WebhookInput,
  actor: Actor,
  policy: TargetPolicy,
): Promise<{ webhook: WebhookEndpoint; secret: string }> {
  await checkTarget(input.url, policy);
  const secret = input.secret ?? `whsec_${randomToken(32)}`;
  const stored: StoredWebhookEndpoint = {
    id: newId(),
    url: input.url,
    events: input.events,
    active: true,
    secretHint: secret.slice(0, 10),
    createdAt: new Date().toISOString(),
    createdBy: { id: actor.id, name: actor.name },
    secret,
  };
  const webhook = publicEndpoint(stored);
  const { kv } = engine;
  await commitAudited(engine, async () => {
    const existing = await listStoredWebhooks(kv);
    if (existing.length >= MAX_WEBHOOKS) {
      throw conflict("too_many_webhooks", `At most ${MAX_WEBHOOKS} webhook endpoints.`);
    }
    const op = kv.atomic().check({ key: keys.webhook(stored.id), versionstamp: null })
      .set(keys.webhook(stored.id), stored);
    if (!existing.some((e) => e.active)) await startCursorAtHead(kv, op);
    return {
      op,
      value: webhook,
      audit: audit(actor, "webhook.created", webhook, { events: webhook.events }),
    };
  });
  return { webhook, secret };
}

/** Changes URL, events or pauses/resumes an endpoint. Audited with the changed fields. */
export async function updateWebhook(
  engine: Engine,
  id: string,
  patch: WebhookUpdate,
  actor: Actor,
  policy: TargetPolicy,
): Promise<WebhookEndpoint> {
  if (patch.url !== undefined) await checkTarget(patch.url, policy);
  const { kv } = engine;
  return await commitAudited(engine, async () => {
    const entry = await kv.get<StoredWebhookEndpoint>(keys.webhook(id));
    if (!entry.value || id.length > 100) throw notFound("Webhook");
    const next: StoredWebhookEndpoint = { ...entry.value, ...patch };
    const op = kv.atomic().check(entry).set(keys.webhook(id), next);
    if (next.active && !entry.value.active) {
      const others = (await listStoredWebhooks(kv)).filter((e) => e.id !== id && e.active);
      if (others.length === 0) await startCursorAtHead(kv, op);
    }
    const changed = Object.keys(patch).filter((k) =>
      JSON.stringify(patch[k as keyof WebhookUpdate]) !==
        JSON.stringify(entry.value![k as keyof StoredWebhookEndpoint])
    );
    const webhook = publicEndpoint(next);
    return {
      op,
      value: webhook,
      audit: changed.length ? audit(actor, "webhook.updated", webhook, { fields: changed }) : null,
    };
  });
}

/** Deletes an endpoint; its queued deliveries find it gone and stop. Audited. */
export async function deleteWebhook(engine: Engine, id: string, actor: Actor): Promise<void> {
  const { kv } = engine;
  await commitAudited(engine, async () => {
    const entry = await kv.get<StoredWebhookEndpoint>(keys.webhook(id));
    if (!entry.value || id.length > 100) throw notFound("Webhook");
    return {
      op: kv.atomic().check(entry).delete(keys.webhook(id)),
      value: undefined,
      audit: audit(actor, "webhook.deleted", publicEndpoint(entry.value)),
    };
  });
}

/** An endpoint's deliveries, newest first (at most `limit`, default 50). */
export async function listDeliveries(
  kv: Deno.Kv,
  endpointId: string,
  limit = 50,
): Promise<WebhookDelivery[]> {
  const out: WebhookDelivery[] = [];
  const list = kv.list<WebhookDelivery>({ prefix: keys.webhookDeliveriesPrefix(endpointId) }, {
    reverse: true,
    limit: Math.min(Math.max(limit, 1), 200),
  });
  for await (const e of list) out.push(e.value);
  return out;
}
