/**
 * Outgoing webhooks, from the change log to the receivers. One place hears every change: the
 * dispatcher follows the KV change log (lib/store/changes.ts) from a durable cursor
 * (`["webhook_cursor"]`), woken by the real-time hub's doorbell. For each change that is an event
 * (./events.ts) and each active endpoint subscribed to it, it writes a delivery record and
 * enqueues a `webhook.deliver` job in the SAME atomic commit that moves the cursor past the
 * change, checked against the cursor: so with several instances each event is fanned out once,
 * and nothing committed is skipped.
 *
 * A job makes one signed attempt (./signature.ts). A 2xx marks the delivery delivered; anything
 * else (status, timeout, refused connection) records the error and enqueues the next attempt
 * after `retryBaseMs · 2^(attempt-1)` (at most an hour), up to `maxAttempts`, then marks it
 * failed. Each attempt is claimed by a checked commit first, so a job KV delivers twice makes one
 * request.
 */
import type { JobRunner } from "../jobs.ts";
import type { Hub, Subscription } from "../realtime/hub.ts";
import { type Change, type Cursor, readChangesSince, readHead } from "../store/changes.ts";
import { changeLayout, encodeCursor, resolveCursor } from "../store/change_shards.ts";
import type { Conversation, Message } from "../domain/engine_types.ts";
import { keys } from "../store/keys.ts";
import { newId } from "../ids.ts";
import {
  DELIVERY_TTL_MS,
  getStoredWebhook,
  listStoredWebhooks,
  type StoredWebhookEndpoint,
  type WebhookDelivery,
} from "./endpoints.ts";
import { eventId, eventOf, webhookBody, type WebhookPayload } from "./events.ts";
import { signWebhook } from "./signature.ts";
import { ALLOW_PRIVATE_HINT, webhookTargetRefusal } from "./targets.ts";

export const WEBHOOK_DELIVER_JOB = "webhook.deliver";

export interface WebhookOptions {
  /** First retry delay; doubled per attempt (`WEBHOOK_RETRY_BASE_MS`, default 10 s). */
  retryBaseMs: number;
  /** Attempts before a delivery is marked failed (default 10: about 2.5 hours at 10 s). */
  maxAttempts: number;
  /** How long one attempt may take. */
  timeoutMs: number;
  /** Allows receivers on private addresses (`WEBHOOK_ALLOW_PRIVATE=1`; ./targets.ts). */
  allowPrivateTargets: boolean;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  retryBaseMs: 10_000,
  maxAttempts: 10,
  timeoutMs: 10_000,
  allowPrivateTargets: false,
};

const MAX_DELAY_MS = 60 * 60_000;
/** Changes read per fan-out commit, and mutations allowed in one (KV's limit is 1000). */
const CHANGES_PER_COMMIT = 100;
const MUTATIONS_PER_COMMIT = 900;

interface DeliverJob {
  endpointId: string;
  deliveryId: string;
  attempt: number;
}

/** The delay before attempt `next` (2, 3, ...). */
export function retryDelay(options: WebhookOptions, next: number): number {
  return Math.min(options.retryBaseMs * 2 ** (next - 2), MAX_DELAY_MS);
}

/** The conversation as integrators see it (engine bookkeeping left out). */
function conversationView(conv: Conversation) {
  const { id, channel, contactId, status, assigneeId, teamId, context, wrapUp } = conv;
  return {
    id,
    channel,
    contactId,
    status,
    assigneeId,
    teamId,
    context,
    wrapUp,
    createdAt: conv.createdAt,
    closedAt: conv.closedAt,
  };
}

function messageView(m: Message) {
  const { id, conversationId, seq, type, kind, author, text, data, visibility, createdAt } = m;
  return { id, conversationId, seq, type, kind, author, text, data, visibility, createdAt };
}

export class WebhookDispatcher {
  #sub: Subscription | null = null;
  #running = false;
  #again = false;
  #done: Promise<void> = Promise.resolve();
  #closed = false;
  /** Aborts attempts in flight at shutdown (they are retried later). */
  #abort = new AbortController();

  constructor(
    readonly kv: Deno.Kv,
    readonly jobs: JobRunner,
    readonly options: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS,
  ) {
    jobs.on(WEBHOOK_DELIVER_JOB, (payload) => this.deliver(payload as DeliverJob));
  }

  /** Follows the hub: every batch of changes wakes the fan-out. */
  start(hub: Hub): void {
    this.#sub = hub.subscribe(null, { onChanges: () => this.wake(), onReset: () => this.wake() });
    this.wake(); // changes committed while no instance was running
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#sub?.close();
    this.#abort.abort();
    await this.#done;
  }

  /** Runs the fan-out (again, once the current run ends, when already running). */
  wake(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#done = this.fanOut().catch((err) => {
      if (!this.#closed) console.error("webhooks: fan-out failed:", err);
    }).finally(() => {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Moves the cursor to the head, writing a delivery for each event and endpoint on the way. */
  async fanOut(): Promise<void> {
    for (let rounds = 0; rounds < 1000 && !this.#closed; rounds++) {
      // No active endpoint: nothing to read. A later endpoint hears only what comes after it.
      const endpoints = (await listStoredWebhooks(this.kv)).filter((e) => e.active);
      if (endpoints.length === 0) return;
      const cursor = await this.kv.get<Cursor | number>(keys.webhookCursor());
      if (cursor.value === null) {
        // Endpoints from before the cursor existed (an older store): start from now.
        const head = (await readHead(this.kv)).cursor;
        await this.kv.atomic().check(cursor).set(keys.webhookCursor(), head).commit();
        continue;
      }
      // One number: a cursor from before the change log's shards (lib/store/change_shards.ts).
      const parts = typeof cursor.value === "number" ? [cursor.value] : cursor.value;
      const from = resolveCursor(parts, await changeLayout(this.kv)) ??
        parts.map(() => Number.MAX_SAFE_INTEGER);
      const { changes, head, reset } = await readChangesSince(
        this.kv,
        from,
        CHANGES_PER_COMMIT,
      );
      if (reset) {
        console.warn(
          `webhooks: the change log expired past ${encodeCursor(parts)}; resuming at ${
            encodeCursor(head)
          }`,
        );
        await this.kv.atomic().check(cursor).set(keys.webhookCursor(), head).commit();
        continue;
      }
      if (changes.length === 0) return;
      const op = this.kv.atomic().check(cursor);
      let mutations = 1;
      const last = [...from];
      let taken = 0;
      for (const change of changes) {
        const wanted = this.#receivers(change, endpoints);
        if (mutations + wanted.length * 2 > MUTATIONS_PER_COMMIT && taken > 0) break;
        if (wanted.length) {
          const payload = await this.#payload(change);
          for (const endpoint of wanted) this.#addDelivery(op, endpoint, payload);
          mutations += wanted.length * 2;
        }
        last[change.shard] = change.seq;
        taken++;
      }
      op.set(keys.webhookCursor(), last);
      await op.commit(); // lost to another instance: it fanned these out; read on
    }
  }

  #receivers(change: Change, endpoints: StoredWebhookEndpoint[]): StoredWebhookEndpoint[] {
    const event = eventOf(change);
    if (!event) return [];
    // An endpoint hears what happened after it was added, never what came before.
    return endpoints.filter((e) => e.events.includes(event) && e.createdAt <= change.at);
  }

  async #payload(change: Change): Promise<WebhookPayload> {
    const type = eventOf(change)!;
    const data: Record<string, unknown> = { ...change.data };
    if (change.conversationId) {
      const seq = type === "message.created" ? Number(change.data?.seq) : NaN;
      const conv = await this.kv.get<Conversation>(keys.conversation(change.conversationId));
      if (conv.value) data.conversation = conversationView(conv.value);
      if (Number.isFinite(seq)) {
        const message = await this.kv.get<Message>(keys.message(change.conversationId, seq));
        if (message.value) data.message = messageView(message.value);
      }
    }
    return { id: eventId(change), type, createdAt: change.at, data };
  }

  #addDelivery(op: Deno.AtomicOperation, endpoint: StoredWebhookEndpoint, payload: WebhookPayload) {
    const delivery: WebhookDelivery = {
      id: newId(),
      endpointId: endpoint.id,
      payload,
      status: "pending",
      attempts: 0,
      createdAt: new Date().toISOString(),
      lastAttemptAt: null,
      lastStatus: null,
      lastError: null,
      nextAttemptAt: new Date().toISOString(),
      deliveredAt: null,
    };
    op.set(keys.webhookDelivery(endpoint.id, delivery.id), delivery, { expireIn: DELIVERY_TTL_MS });
    const job: DeliverJob = { endpointId: endpoint.id, deliveryId: delivery.id, attempt: 1 };
    op.enqueue({ type: WEBHOOK_DELIVER_JOB, payload: job });
  }

  /** One attempt of one delivery (the `webhook.deliver` job). */
  async deliver(job: DeliverJob): Promise<void> {
    const key = keys.webhookDelivery(job.endpointId, job.deliveryId);
    const entry = await this.kv.get<WebhookDelivery>(key);
    const delivery = entry.value;
    if (!delivery || delivery.status !== "pending") return;
    const stale = delivery.lastAttemptAt !== null &&
      Date.now() - Date.parse(delivery.lastAttemptAt) > 2 * this.options.timeoutMs;
    // This attempt was made already (a job delivered twice), unless it died half-way.
    if (delivery.attempts >= job.attempt && !stale) return;
    const endpoint = await getStoredWebhook(this.kv, job.endpointId);
    const now = new Date();
    if (!endpoint || !endpoint.active) {
      const reason = endpoint ? "The endpoint is paused." : "The endpoint was deleted.";
      await this.kv.atomic().check(entry).set(key, {
        ...delivery,
        status: "failed",
        lastError: reason,
        nextAttemptAt: null,
      }, { expireIn: DELIVERY_TTL_MS }).commit();
      return;
    }
    const claimed: WebhookDelivery = {
      ...delivery,
      attempts: job.attempt,
      lastAttemptAt: now.toISOString(),
    };
    const claim = await this.kv.atomic().check(entry).set(key, claimed, {
      expireIn: DELIVERY_TTL_MS,
    }).commit();
    if (!claim.ok) return; // another worker took this attempt
    const outcome = await this.#post(endpoint, delivery.payload, job.deliveryId, now);
    const after: WebhookDelivery = { ...claimed, ...outcome.record, nextAttemptAt: null };
    const op = this.kv.atomic().check({ key, versionstamp: claim.versionstamp });
    if (!outcome.ok) {
      if (job.attempt >= this.options.maxAttempts) {
        after.status = "failed";
      } else {
        const delay = retryDelay(this.options, job.attempt + 1);
        after.nextAttemptAt = new Date(Date.now() + delay).toISOString();
        const next: DeliverJob = { ...job, attempt: job.attempt + 1 };
        op.enqueue({ type: WEBHOOK_DELIVER_JOB, payload: next }, { delay });
      }
    }
    await op.set(key, after, { expireIn: DELIVERY_TTL_MS }).commit();
  }

  async #post(
    endpoint: StoredWebhookEndpoint,
    payload: WebhookPayload,
    deliveryId: string,
    sentAt: Date,
  ): Promise<{ ok: boolean; record: Partial<WebhookDelivery> }> {
    const body = webhookBody(payload, sentAt);
    const refusal = await webhookTargetRefusal(endpoint.url, {
      allowPrivate: this.options.allowPrivateTargets,
      unresolved: "refuse",
    });
    if (refusal) {
      return {
        ok: false,
        record: { lastStatus: null, lastError: `Not sent: ${refusal} ${ALLOW_PRIVATE_HINT}` },
      };
    }
    try {
      const res = await fetch(endpoint.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.#abort.signal]),
        headers: {
          "content-type": "application/json",
          "user-agent": "Parley-Webhooks/1",
          "x-parley-event": payload.type,
          "x-parley-delivery": deliveryId,
          "x-parley-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
          "x-parley-signature": await signWebhook(endpoint.secret, body),
        },
        body,
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) {
        return {
          ok: true,
          record: {
            status: "delivered",
            lastStatus: res.status,
            lastError: null,
            deliveredAt: new Date().toISOString(),
          },
        };
      }
      return {
        ok: false,
        record: {
          lastStatus: res.status,
          lastError: `HTTP ${res.status} ${res.statusText}`.trim(),
        },
      };
    } catch (err) {
      const timeout = err instanceof DOMException && err.name === "TimeoutError";
      const message = timeout
        ? `No answer within ${this.options.timeoutMs / 1000} s.`
        : `Could not connect: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300);
      return { ok: false, record: { lastStatus: null, lastError: message } };
    }
  }
}
