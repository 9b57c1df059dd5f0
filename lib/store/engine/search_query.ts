/**
 * Searching conversations (issue 18, gap 2; the index is ./search_index.ts):
 * `GET /api/v1/search`. A conversation matches when every word of the query
 * occurs in it (its messages, internal notes, contact details, wrap-up notes
 * or tags), the last word as a prefix while it is being typed. Newest
 * conversations first (ids are time-ordered), a page at a time.
 *
 * Who finds what: supervisors, admins and integrations search every
 * conversation; an agent searches the chats they hold or once held
 * (["search_held", agentId, …], written when a chat reaches them) and of those
 * only what they may open now (permissions.ts `canView`: a chat transferred
 * away stays hidden while a colleague holds it, and shows again once closed).
 *
 * How: every term's list is ordered by conversation id, so the lists are
 * intersected by a leapfrog walk from the newest end (each step one small
 * reverse range read: "the greatest id ≤ x in this list"), the agent's own
 * list taking part like a term's. The last, unfinished word widens to at most
 * {@link MAX_PREFIX_TERMS} stored terms starting with it. A search does at
 * most {@link MAX_READS} reads; a page cut short by that says so (`partial`)
 * and its cursor goes on from where it stopped, so results never repeat or
 * skip across pages.
 */
import type { Agent } from "../agents.ts";
import type { Contact, Conversation, Message } from "../../domain/engine_types.ts";
import { canView, isSupervisor } from "../../domain/permissions.ts";
import { type ParsedQuery, snippetOf } from "../../domain/search_text.ts";
import { keys } from "../keys.ts";
import { getManyEntries } from "./records.ts";
import { CONTACT_HIT, type PostingValue, searchableText, WRAP_UP_HIT } from "./search_index.ts";

/** Stored terms an unfinished last word stands for at most (the first ones, alphabetically). */
export const MAX_PREFIX_TERMS = 32;
/** KV reads one search may make before it answers with what it has. */
export const MAX_READS = 2000;
export const DEFAULT_PAGE = 20;

/** Where a walk down the lists stands: ids at or below `id` (inclusive) or strictly below it. */
interface Bound {
  id: string;
  inclusive: boolean;
}

interface Hit {
  id: string;
  value: unknown;
}

/** A list ordered by conversation id that can answer "the greatest id within this bound". */
interface Walk {
  seek(bound: Bound | null): Promise<Hit | null>;
  /** The value of the hit at `id` from the last seek (null if that was not `id`). */
  valueAt(id: string): unknown[];
}

class Budget {
  reads = 0;
  constructor(readonly max: number) {}
  get spent(): boolean {
    return this.reads >= this.max;
  }
}

const within = (id: string, b: Bound | null) =>
  b === null || (b.inclusive ? id <= b.id : id < b.id);

/** One KV list (`prefix` + conversationId keys) walked from its newest end. */
function listWalk(kv: Deno.Kv, prefix: Deno.KvKey, budget: Budget): Walk {
  // The last answer: for a tighter bound that still admits it, it is the answer again.
  let last: { bound: Bound | null; hit: Hit | null } | null = null;
  return {
    async seek(bound) {
      if (last && tighter(bound, last.bound) && (!last.hit || within(last.hit.id, bound))) {
        return last.hit;
      }
      budget.reads++;
      let hit: Hit | null = null;
      const selector = bound
        ? { prefix, end: [...prefix, bound.inclusive ? bound.id + "\u0000" : bound.id] }
        : { prefix };
      for await (const e of kv.list(selector, { reverse: true, limit: 1 })) {
        hit = { id: e.key[prefix.length] as string, value: e.value };
      }
      last = { bound, hit };
      return hit;
    },
    valueAt: (id) => last?.hit?.id === id ? [last.hit.value] : [],
  };
}

/** Whether bound `a` admits no more than `b` does. */
function tighter(a: Bound | null, b: Bound | null): boolean {
  if (b === null) return true;
  if (a === null) return false;
  return a.id < b.id || (a.id === b.id && (!a.inclusive || b.inclusive));
}

/** Several lists as one (an unfinished word's terms): the greatest of their answers. */
function unionWalk(walks: Walk[]): Walk {
  return {
    async seek(bound) {
      const hits = await Promise.all(walks.map((w) => w.seek(bound)));
      let best: Hit | null = null;
      for (const h of hits) if (h && (!best || h.id > best.id)) best = h;
      return best;
    },
    valueAt: (id) => walks.flatMap((w) => w.valueAt(id)),
  };
}

/** The stored terms starting with `prefix`, at most MAX_PREFIX_TERMS (each skip is one read). */
async function termsStartingWith(kv: Deno.Kv, prefix: string, budget: Budget): Promise<string[]> {
  const out: string[] = [];
  let start: Deno.KvKey = keys.searchPostingsPrefix(prefix);
  const end: Deno.KvKey = keys.searchPostingsPrefix(prefix + "\uffff");
  while (out.length < MAX_PREFIX_TERMS) {
    budget.reads++;
    let term: string | null = null;
    for await (const e of kv.list({ start, end }, { limit: 1 })) term = e.key[1] as string;
    if (term === null || !term.startsWith(prefix)) break;
    out.push(term);
    start = keys.searchPostingsPrefix(term + "\u0000"); // past every key of this term
  }
  return out;
}

/** What the search box asked, as parsed (lib/domain/search_text.ts), and the page wanted. */
export interface SearchInput {
  query: ParsedQuery;
  cursor?: string;
  limit?: number;
  /** Reads allowed (default {@link MAX_READS}; tests make it small). */
  maxReads?: number;
}

export interface SearchResult {
  conversation: {
    id: string;
    channel: Conversation["channel"];
    status: Conversation["status"];
    assigneeId: string | null;
    teamId: string | null;
    createdAt: string;
    lastActivityAt: string;
    tags: string[];
  };
  contact: { id: string; name: string | null; email: string | null; phone: string | null };
  /** The text that matched best: the latest message with a query word, else the wrap-up, else the contact. */
  match: {
    field: "message" | "note" | "wrap_up" | "contact";
    seq: number | null;
    authorType: string | null;
    at: string | null;
    /** At most ~160 characters around the first match ("…" where cut). */
    text: string;
    /** [start, end) UTF-16 offsets in `text` of the words that matched. */
    highlights: [number, number][];
  };
}

export interface SearchPage {
  items: SearchResult[];
  /** Pass back as `cursor` for the next page; null when there is no more. */
  nextCursor: string | null;
  /** True when the search stopped early to stay fast: follow nextCursor for more. */
  partial: boolean;
}

/** A cursor: "<" + id (strictly below) or "=" + id (at or below: a search cut short). */
const encodeCursor = (b: Bound) => (b.inclusive ? "=" : "<") + b.id;

/** A valid cursor's bound, or null for a malformed one. */
export function decodeCursor(cursor: string): Bound | null {
  const m = /^([<=])([0-9A-Za-z_-]{1,100})$/.exec(cursor);
  return m ? { id: m[2], inclusive: m[1] === "=" } : null;
}

/**
 * One page of the conversations matching `query` that `viewer` may find,
 * newest first. The cursor must come from a previous page (the route checks
 * its shape with {@link decodeCursor}).
 */
export async function searchConversations(
  kv: Deno.Kv,
  viewer: Pick<Agent, "id" | "role" | "teamId">,
  input: SearchInput,
): Promise<SearchPage> {
  const { query } = input;
  const limit = input.limit ?? DEFAULT_PAGE;
  const budget = new Budget(input.maxReads ?? MAX_READS);
  const walks: Walk[] = [];
  const staff = isSupervisor(viewer.role);
  // The agent's own list first: usually the shortest, so the walk steps through it.
  if (!staff) walks.push(listWalk(kv, keys.searchHeldPrefix(viewer.id), budget));
  const termWalks: Walk[] = [];
  // Longer words are usually rarer: they lead.
  for (const term of [...query.exact].sort((a, b) => b.length - a.length)) {
    termWalks.push(listWalk(kv, keys.searchPostingsPrefix(term), budget));
  }
  if (query.prefix !== null) {
    const terms = await termsStartingWith(kv, query.prefix, budget);
    if (terms.length === 0) return { items: [], nextCursor: null, partial: false };
    termWalks.push(
      unionWalk(terms.map((t) => listWalk(kv, keys.searchPostingsPrefix(t), budget))),
    );
  }
  walks.push(...termWalks);

  let bound: Bound | null = input.cursor ? decodeCursor(input.cursor) : null;
  const found: { id: string; values: unknown[] }[] = [];
  let partial = false;
  let exhausted = false;
  // Gathers candidates; a candidate the viewer may not open is dropped after reading its record.
  const accepted: { conv: Conversation; values: unknown[] }[] = [];
  while (accepted.length < limit && !exhausted) {
    found.length = 0;
    while (found.length < limit - accepted.length) {
      if (budget.spent) {
        partial = true;
        break;
      }
      const match = await leapfrog(walks, bound, budget);
      if (typeof match === "object" && match !== null) {
        // Nothing above match.below can match: the next page starts there.
        bound = { id: match.below, inclusive: true };
        partial = true;
        break;
      }
      if (match === null) {
        exhausted = true;
        break;
      }
      found.push({ id: match, values: termWalks.flatMap((w) => w.valueAt(match)) });
      bound = { id: match, inclusive: false };
    }
    const convs = await getManyEntries<Conversation>(kv, found.map((f) => keys.conversation(f.id)));
    budget.reads += Math.ceil(found.length / 10);
    found.forEach((f, i) => {
      const conv = convs[i].value;
      if (conv && (staff || canView(viewer, conv))) accepted.push({ conv, values: f.values });
    });
    if (partial) break;
  }
  const items = await describe(kv, accepted, query);
  const more = !exhausted && bound !== null;
  return { items, nextCursor: more ? encodeCursor(bound!) : null, partial };
}

/**
 * The newest id within `bound` that every walk has, or null when one of them
 * runs out. When the read budget runs out first: `{ below }`, an id such that
 * no id within `bound` above it can match (each step only moves down), so a
 * search that goes on from there, inclusive, skips nothing.
 */
async function leapfrog(
  walks: Walk[],
  bound: Bound | null,
  budget: Budget,
): Promise<string | null | { below: string }> {
  const first = await walks[0].seek(bound);
  if (!first) return null;
  let id = first.id;
  let agreed = 1;
  for (let i = 1; agreed < walks.length; i++) {
    if (budget.spent) return { below: id };
    const hit = await walks[i % walks.length].seek({ id, inclusive: true });
    if (!hit) return null;
    if (hit.id === id) agreed++;
    else {
      id = hit.id;
      agreed = 1;
    }
  }
  return id;
}

/** The page's results: each conversation with its contact and the text that matched. */
async function describe(
  kv: Deno.Kv,
  accepted: { conv: Conversation; values: unknown[] }[],
  query: ParsedQuery,
): Promise<SearchResult[]> {
  const contacts = await getManyEntries<Contact>(
    kv,
    accepted.map((a) => keys.contact(a.conv.contactId)),
  );
  const seqOf = (values: unknown[]) => {
    const seqs = values.filter((v): v is number => typeof v === "number");
    return seqs.length > 0 ? Math.max(...seqs) : null;
  };
  const messages = await getManyEntries<Message>(
    kv,
    accepted.map((a) => keys.message(a.conv.id, seqOf(a.values) ?? 0)),
  );
  return accepted.map(({ conv, values }, i): SearchResult => {
    const contact = contacts[i].value;
    const message = messages[i].value;
    const vals = values as PostingValue[];
    let match: SearchResult["match"];
    if (message) {
      match = {
        field: message.type === "note" ? "note" : "message",
        seq: message.seq,
        authorType: message.author.type,
        at: message.createdAt,
        ...snippetOf(searchableText(message), query),
      };
    } else if (conv.wrapUp && (vals.includes(WRAP_UP_HIT) || !vals.includes(CONTACT_HIT))) {
      const tags = conv.wrapUp.tags.length > 0 ? `${conv.wrapUp.tags.join(", ")} · ` : "";
      match = {
        field: "wrap_up",
        seq: null,
        authorType: null,
        at: conv.wrapUp.closedAt,
        ...snippetOf(tags + conv.wrapUp.notes, query),
      };
    } else {
      const text = [contact?.name, contact?.email, contact?.phone].filter(Boolean).join(" · ");
      match = {
        field: "contact",
        seq: null,
        authorType: null,
        at: null,
        ...snippetOf(text, query),
      };
    }
    return {
      conversation: {
        id: conv.id,
        channel: conv.channel,
        status: conv.status,
        assigneeId: conv.assigneeId,
        teamId: conv.teamId,
        createdAt: conv.createdAt,
        lastActivityAt: conv.lastActivityAt,
        tags: conv.wrapUp?.tags ?? [],
      },
      contact: {
        id: conv.contactId,
        name: contact?.name ?? null,
        email: contact?.email ?? null,
        phone: contact?.phone ?? null,
      },
      match,
    };
  });
}
