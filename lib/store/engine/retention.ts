/**
 * Retention (issue 16, item 6): conversations closed more than
 * `retentionDays` ago are anonymised (lib/domain/retention.ts says what goes)
 * by a periodic KV queue job, and the one operation behind both retention and
 * a contact's erasure (./contact_data.ts): {@link anonymiseConversation}.
 *
 * Batched within KV's limits: the conversation leaves the search index first
 * (./search_index.ts reads the texts to find its keys), then its messages go 40 per atomic op
 * (each checked, so a late delivery status never writes a text back), its
 * attachments' files one by one, and the record last, marked `anonymisedAt`.
 * A run stopped midway is finished by the next (marked records are skipped;
 * scrubbing a message twice changes nothing). The metrics counters are
 * separate sums and are not touched: reports keep their totals.
 *
 * One live chain (as the sweep's, ./jobs.ts): each start writes a chain id to
 * ["retention_tick"]; a delivery of another chain ends. A run handles at most
 * {@link RUN_LIMIT} conversations, then comes back at once for the rest, else
 * in an hour. ["retention_cursor"] holds the last status-index entry handled.
 */
import {
  anonymisedConversation,
  anonymisedMessage,
  retentionCutoff,
} from "../../domain/retention.ts";
import type { Conversation, Message } from "../../domain/engine_types.ts";
import type { JobRunner } from "../../jobs.ts";
import { deleteAttachment } from "../attachments.ts";
import { keys } from "../keys.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { removeConversationFromSearch } from "./search_index.ts";
import { getSettings, writeConversation } from "./records.ts";
import { mutate } from "./tx.ts";

export const RETENTION_JOB = "engine.retention";
export const RETENTION_INTERVAL_MS = 60 * 60_000;
/** Conversations anonymised per run at most (the next run follows at once). */
export const RUN_LIMIT = 200;
const MESSAGE_BATCH = 40;

/**
 * Anonymises one conversation: its messages (batched), the files they carry,
 * then the record. Returns false when it was already anonymised or is gone.
 * Open conversations are refused (409 by the callers' rules; here: false).
 */
export async function anonymiseConversation(
  engine: Engine,
  conversationId: string,
): Promise<boolean> {
  const { kv } = engine;
  const first = (await kv.get<Conversation>(keys.conversation(conversationId))).value;
  if (!first || first.anonymisedAt || first.status !== "closed") return false;
  // Out of search first: the index's keys are found from the texts about to go.
  await removeConversationFromSearch(kv, conversationId);
  let after = 0;
  for (;;) {
    const batch: Deno.KvEntry<Message>[] = [];
    for await (
      const e of kv.list<Message>({
        start: keys.message(conversationId, after + 1),
        end: keys.message(conversationId, Number.MAX_SAFE_INTEGER),
      }, { limit: MESSAGE_BATCH })
    ) batch.push(e);
    if (batch.length === 0) break;
    await scrubMessages(kv, batch);
    after = batch[batch.length - 1].value.seq;
    if (batch.length < MESSAGE_BATCH) break;
  }
  return await mutate(engine, async () => {
    const entry = await kv.get<Conversation>(keys.conversation(conversationId));
    const conv = entry.value;
    if (!conv || conv.anonymisedAt || conv.status !== "closed") return { value: false };
    const op = new EngineOp().check(entry);
    writeConversation(op, conv, anonymisedConversation(conv, new Date().toISOString()));
    return { op, value: true };
  });
}

/** Scrubs a batch of messages (checked: a concurrent write makes it read that one again). */
async function scrubMessages(kv: Deno.Kv, batch: Deno.KvEntry<Message>[]): Promise<void> {
  for (const e of batch) {
    for (const a of e.value.attachments ?? []) await deleteAttachment(kv, a.id);
  }
  let pending = batch as Deno.KvEntryMaybe<Message>[];
  for (let attempt = 0; pending.length && attempt < 20; attempt++) {
    const op = kv.atomic();
    for (const e of pending) {
      if (!e.value) continue;
      op.check(e).set(e.key, anonymisedMessage(e.value));
    }
    if ((await op.commit()).ok) return;
    pending = await kv.getMany<Message[]>(pending.map((e) => e.key));
  }
}

/**
 * One retention run: anonymises conversations closed before the cut-off,
 * oldest first, at most `limit`. Returns how many it anonymised and whether
 * some may remain. Nothing when retention is off (`retentionDays` 0).
 */
export async function runRetention(
  engine: Engine,
  now = Date.now(),
  limit = RUN_LIMIT,
): Promise<{ anonymised: number; more: boolean }> {
  const { kv } = engine;
  const cutoff = retentionCutoff((await getSettings(kv)).retentionDays, now);
  if (cutoff === null) return { anonymised: 0, more: false };
  // Everything before the cursor was handled (closed chats never reopen, and new ones close
  // later), so a run reads only what it has not seen: no run walks the old ones again.
  const prefix = keys.conversationsByStatusPrefix("closed");
  const cursor = (await kv.get<[number, string]>(keys.retentionCursor())).value;
  let anonymised = 0;
  let last: [number, string] | null = null;
  let more = false;
  for await (
    const e of kv.list({
      start: cursor ? [...prefix, ...cursor] : prefix,
      end: [...prefix, cutoff],
    })
  ) {
    const at: [number, string] = [e.key[2] as number, e.key[3] as string];
    if (cursor && at[0] === cursor[0] && at[1] === cursor[1]) continue;
    if (await anonymiseConversation(engine, at[1])) anonymised++;
    last = at;
    if (anonymised >= limit) {
      more = true;
      break;
    }
  }
  if (last) await kv.set(keys.retentionCursor(), last);
  return { anonymised, more };
}

/** Registers the retention job and starts its chain (call once per app, before jobs.start()). */
export function registerRetentionJob(deps: { engine: Engine; jobs: JobRunner }): void {
  const { engine, jobs } = deps;
  const { kv } = engine;
  jobs.on(RETENTION_JOB, async (payload) => {
    const chain = (payload as { chain?: string })?.chain;
    if (!chain || chain !== (await kv.get<string>(keys.retentionTick())).value) return;
    let more = false;
    try {
      more = (await runRetention(engine)).more;
    } catch (err) {
      console.error("retention: run failed:", err);
    }
    await jobs.enqueue(RETENTION_JOB, { chain }, { delay: more ? 1000 : RETENTION_INTERVAL_MS });
  });
  const chain = crypto.randomUUID();
  kv.set(keys.retentionTick(), chain)
    .then(() => jobs.enqueue(RETENTION_JOB, { chain }, { delay: 60_000 }))
    .catch(() => {/* KV closed during start-up (tests) */});
}
