/**
 * Builds the search index (./search_index.ts) of a store that kept
 * conversations before search existed: once per store, at start
 * (`startServer`, before serving), every stored conversation's messages,
 * notes, contact details, wrap-up and holders are indexed as the live writes
 * would have. The work is written in atomic batches, each with the id of the
 * last conversation it finished, so a start that stops midway goes on where
 * it stopped (postings are plain sets: indexing one twice changes nothing).
 *
 *   ["schema", "search"]          -> 1 once the index holds every conversation
 *   ["schema", "search_backfill"] -> conversationId (the last one indexed, while under way)
 */
import type { Contact, Conversation, Message } from "../../domain/engine_types.ts";
import { termsOf } from "../../domain/search_text.ts";
import { keys } from "../keys.ts";
import { conversationsWithLogs } from "./conversations_after.ts";
import {
  CONTACT_HIT,
  contactTermsOf,
  holdersOf,
  isSearchable,
  type PostingValue,
  searchableText,
  WRAP_UP_HIT,
  wrapUpTermsOf,
} from "./search_index.ts";

const VERSION = 1;
/** Writes per atomic batch (Deno KV allows 1000 mutations). */
const BATCH = 800;

/** The index keys of one stored conversation, as the live writes would have left them. */
function entriesOf(
  conv: Conversation,
  contact: Contact | null,
  log: Message[],
): Map<string, [Deno.KvKey, unknown]> {
  const out = new Map<string, [Deno.KvKey, unknown]>();
  const put = (key: Deno.KvKey, value: unknown) => out.set(JSON.stringify(key), [key, value]);
  const posting = (term: string, value: PostingValue) =>
    put(keys.searchPosting(term, conv.id), value);
  if (contact) {
    for (const term of contactTermsOf(contact)) {
      posting(term, CONTACT_HIT);
      put(keys.searchContactTerm(conv.id, term), true);
    }
  }
  for (const m of log) {
    if (isSearchable(m)) { for (const t of termsOf(searchableText(m))) posting(t, m.seq); }
  }
  for (const term of wrapUpTermsOf(conv.wrapUp)) posting(term, WRAP_UP_HIT);
  for (const agentId of holdersOf(conv, log)) put(keys.searchHeld(agentId, conv.id), true);
  return out;
}

/**
 * Indexes every stored conversation for search, once per store (later calls
 * return 0 at once). Returns how many conversations it indexed.
 */
export async function backfillSearch(kv: Deno.Kv): Promise<number> {
  if ((await kv.get<number>(keys.searchVersion())).value === VERSION) return 0;
  const cursor = (await kv.get<string>(keys.searchBackfillCursor())).value;
  let pending: [Deno.KvKey, unknown][] = [];
  let lastId: string | null = null;
  let indexed = 0;
  const flush = async (done: boolean) => {
    const op = kv.atomic();
    for (const [key, value] of pending) op.set(key, value);
    if (lastId) op.set(keys.searchBackfillCursor(), lastId);
    if (done) op.set(keys.searchVersion(), VERSION).delete(keys.searchBackfillCursor());
    const result = await op.commit();
    if (!result.ok) throw new Error("search backfill: a batch did not commit");
    pending = [];
  };
  for await (const { conv, log } of conversationsWithLogs(kv, cursor)) {
    const contact = (await kv.get<Contact>(keys.contact(conv.contactId))).value;
    const entries = [...entriesOf(conv, contact, log).values()];
    // A conversation's keys may span batches (a very long chat): the cursor moves only after all.
    for (const e of entries) {
      if (pending.length >= BATCH) await flush(false);
      pending.push(e);
    }
    lastId = conv.id;
    indexed++;
  }
  await flush(true);
  return indexed;
}
