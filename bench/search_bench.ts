/**
 * Search benchmark (`deno task bench:search`): fills a store with chat
 * messages through the real engine (customer messages, 10 writers at once,
 * group commit on) with the search index on, and a second store with the same
 * messages and the index off (the same-run baseline), then prints:
 * - the write cost per message with and without the index (µs, and the ratio),
 * - how much the store grew (SQLite file bytes per message, both stores) and
 *   how many index keys a message adds,
 * - query latency p50/p99 over many runs for a common word, a rare word, a
 *   common and a rare word together, two common words, a prefix, and an
 *   agent's search (their own chats only),
 * beside the raw KV commit rate measured on the same store. Both stores are
 * temporary SQLite files (as `deno task start` uses). The machine may be
 * shared: read the ratios. Nothing is asserted.
 *
 * Text: words drawn from a 20,000-word vocabulary with a Zipf distribution
 * (word k has weight 1/k, as in natural language), 4 to 20 words a message,
 * 10 messages a conversation; a few named words are planted at known rates.
 *
 * The write cost is compared on the same number of messages (the first
 * `--baseline` of each store: a store's writes slow down a little as it
 * grows); the indexed store's whole fill is printed too.
 *
 * Options: `--messages N` (default 100000), `--baseline N` (messages in the
 * index-off store, default 20000), `--queries N` (runs per query, default 200).
 */
import { type Agent, createAgent } from "../lib/store/agents.ts";
import {
  pickupConversation,
  receiveCustomerMessage,
  setAgentStatus,
  updateSettings,
} from "../lib/store/engine/mod.ts";
import { Engine } from "../lib/store/engine/engine.ts";
import { searchIndexing } from "../lib/store/engine/search_index.ts";
import { searchConversations } from "../lib/store/engine/search_query.ts";
import { type ParsedQuery, parseSearchQuery } from "../lib/domain/search_text.ts";
import { keySize } from "../lib/store/engine/commit_size.ts";
import { arg, rawCommitRate } from "./common.ts";

const MESSAGES = arg("messages", 100_000);
const BASELINE = arg("baseline", Math.min(MESSAGES, 20_000));
const QUERIES = arg("queries", 200);
const PER_CONVERSATION = 10;
const WRITERS = 10;
const VOCABULARY = 20_000;

/** A small seeded PRNG (mulberry32), so both stores get the same text. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pronounceable pseudo-words: w0 is the most common. */
const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "an", "el"];
function word(k: number): string {
  let w = "";
  let n = k + 12;
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
}
const WORDS = Array.from({ length: VOCABULARY }, (_, k) => word(k));
// Zipf: cumulative weights 1/k.
const CUMULATIVE: number[] = [];
{
  let sum = 0;
  for (let k = 1; k <= VOCABULARY; k++) CUMULATIVE.push(sum += 1 / k);
}
function zipfWord(r: number): string {
  const target = r * CUMULATIVE[CUMULATIVE.length - 1];
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return WORDS[lo];
}

/** Message i's text: Zipf words, plus planted words at known rates. */
function textOf(i: number, random: () => number): string {
  const n = 4 + Math.floor(random() * 17);
  const words = Array.from({ length: n }, () => zipfWord(random()));
  if (i % 20 === 0) words.push("refund"); // 5% of messages
  if (i % 25 === 0) words.push("parcel"); // 4%
  if (i % 5000 === 7) words.push("chargeback"); // 0.02%: rare
  return words.join(" ");
}

/** Fills the store; returns the seconds for all of it and for its first `mark` messages. */
async function fill(
  engine: Engine,
  count: number,
  indexed: boolean,
  mark = count,
): Promise<{ seconds: number; markSeconds: number }> {
  searchIndexing.enabled = indexed;
  const random = rng(42);
  const texts = Array.from({ length: count }, (_, i) => textOf(i, random));
  let next = 0;
  let done = 0;
  let markSeconds = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const conv = Math.floor(i / PER_CONVERSATION);
      await receiveCustomerMessage(engine, {
        channel: "webchat",
        contact: { webVisitorId: `bench-${conv}`, name: `Customer ${conv}` },
        clientId: `m${i}`,
        text: texts[i],
      });
      if (++done === mark) markSeconds = (performance.now() - t0) / 1000;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  searchIndexing.enabled = true;
  return { seconds, markSeconds };
}

type Viewer = Pick<Agent, "id" | "role" | "teamId">;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function latency(
  kv: Deno.Kv,
  viewer: Viewer,
  text: string,
): Promise<{ p50: number; p99: number; found: number; partial: boolean }> {
  const query = parseSearchQuery(text) as ParsedQuery;
  const times: number[] = [];
  let found = 0;
  let partial = false;
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    const page = await searchConversations(kv, viewer, { query });
    times.push(performance.now() - t0);
    found = page.items.length;
    partial = page.partial;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), found, partial };
}

async function fileBytes(path: string): Promise<number> {
  let total = 0;
  for (const suffix of ["", "-wal", "-shm"]) {
    total += await Deno.stat(path + suffix).then((s) => s.size, () => 0);
  }
  return total;
}

async function indexFigures(kv: Deno.Kv): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  for (const prefix of [["search"], ["search_contact_terms"], ["search_held"]]) {
    for await (const e of kv.list({ prefix })) {
      keys++;
      bytes += keySize(e.key) + JSON.stringify(e.value).length;
    }
  }
  return { keys, bytes };
}

const dir = await Deno.makeTempDir({ prefix: "parley-search-bench-" });
try {
  const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d });
  console.log(
    `search bench: ${fmt(MESSAGES)} messages indexed, ${fmt(BASELINE)} without the index, ` +
      `${PER_CONVERSATION} per conversation, ${WRITERS} writers at once, SQLite files`,
  );

  const basePath = `${dir}/baseline.sqlite3`;
  const baseKv = await Deno.openKv(basePath);
  const baseEngine = new Engine(baseKv);
  await updateSettings(baseEngine, { dynamicAssignment: false });
  const baseRaw1 = await rawCommitRate(baseKv, 1000);
  const baseSeconds = (await fill(baseEngine, BASELINE, false)).seconds;
  const baseRaw2 = await rawCommitRate(baseKv, 1000);
  baseKv.close();
  const baseBytes = await fileBytes(basePath);

  const path = `${dir}/indexed.sqlite3`;
  const kv = await Deno.openKv(path);
  const engine = new Engine(kv);
  await updateSettings(engine, { dynamicAssignment: false, maxChatsPerAgent: 500 });
  const raw1 = await rawCommitRate(kv, 1000);
  const { seconds, markSeconds } = await fill(engine, MESSAGES, true, BASELINE);
  const raw2 = await rawCommitRate(kv, 1000);

  const perBase = (baseSeconds / BASELINE) * 1e6;
  const perIndexed = (markSeconds / BASELINE) * 1e6;
  console.log("\nwrites (customer messages through the engine)");
  console.log(
    `  without index: ${fmt(BASELINE / baseSeconds)} msg/s, ${fmt(perBase)} µs/msg ` +
      `(raw KV commits on that store: ${fmt((baseRaw1 + baseRaw2) / 2)}/s)`,
  );
  console.log(
    `  with index:    ${fmt(BASELINE / markSeconds)} msg/s, ${fmt(perIndexed)} µs/msg ` +
      `(raw KV commits on that store: ${fmt((raw1 + raw2) / 2)}/s)`,
  );
  console.log(
    `  with index, all ${fmt(MESSAGES)}: ${fmt(MESSAGES / seconds)} msg/s, ` +
      `${fmt((seconds / MESSAGES) * 1e6)} µs/msg`,
  );
  console.log(
    `  overhead:      ${fmt(perIndexed - perBase)} µs/msg (${fmt(perIndexed / perBase, 2)}x), ` +
      `first ${fmt(BASELINE)} of each; raw-commit ratio of the two stores ` +
      `${fmt((raw1 + raw2) / (baseRaw1 + baseRaw2), 2)}x`,
  );

  // An agent who holds 200 of the conversations (real pickups).
  const agent = await createAgent(kv, {
    name: "Bench agent",
    email: `bench-${crypto.randomUUID().slice(0, 6)}@example.test`,
    password: "bench-password",
    role: "agent",
    maxChats: 500,
  }, 1000);
  await setAgentStatus(engine, agent.id, "online");
  // Every 20th waiting chat, across the store's history.
  const pending: string[] = [];
  let n = 0;
  for await (const e of kv.list<true>({ prefix: ["conversations_by_status", "pending"] })) {
    if (n++ % 20 === 0 && pending.length < 200) pending.push(e.key[3] as string);
  }
  const conversations = Math.ceil(MESSAGES / PER_CONVERSATION);
  let picked = 0;
  for (const id of pending) {
    await pickupConversation(engine, id, agent).then(() => picked++, () => {});
  }
  kv.close();
  const bytes = await fileBytes(path);
  const kv2 = await Deno.openKv(path);
  const index = await indexFigures(kv2);
  console.log("\nstore size (SQLite file, WAL included)");
  console.log(
    `  without index: ${fmt(baseBytes / BASELINE)} B/msg (${fmt(baseBytes / 1e6, 1)} MB)`,
  );
  console.log(`  with index:    ${fmt(bytes / MESSAGES)} B/msg (${fmt(bytes / 1e6, 1)} MB)`);
  console.log(
    `  index:         ${fmt(index.keys)} keys, ${fmt(index.keys / MESSAGES, 1)} keys/msg, ` +
      `~${fmt(index.bytes / MESSAGES)} B/msg of keys and values`,
  );

  const boss: Viewer = { id: "bench-supervisor", role: "supervisor", teamId: null };
  console.log(`\nqueries (${QUERIES} runs each, first page of 20; supervisor unless said)`);
  const named = Math.floor(conversations / 2);
  const cases: [string, Viewer, string][] = [
    [`common word "${WORDS[0]}"`, boss, WORDS[0]],
    [`planted word "refund" (5% of messages)`, boss, "refund"],
    [`rare word "chargeback" (0.02%)`, boss, "chargeback"],
    [`common + rare "${WORDS[0]} chargeback"`, boss, `${WORDS[0]} chargeback`],
    [`two common "refund parcel"`, boss, "refund parcel"],
    [`mid-frequency "${WORDS[300]}"`, boss, WORDS[300]],
    [`prefix "${WORDS[5].slice(0, 3)}" (being typed)`, boss, WORDS[5].slice(0, 3)],
    [`contact name "customer ${named}"`, boss, `customer ${named}`],
    [`no match "zzzz"`, boss, "zzzz "],
    [`agent (holds ${picked}): "refund"`, agent, "refund"],
    [`agent (holds ${picked}): "${WORDS[0]}"`, agent, WORDS[0]],
  ];
  for (const [label, viewer, text] of cases) {
    const r = await latency(kv2, viewer, text);
    console.log(
      `  ${label.padEnd(44)} p50 ${fmt(r.p50, 2).padStart(7)} ms  p99 ${
        fmt(r.p99, 2).padStart(7)
      } ms  (${r.found} results${r.partial ? ", partial" : ""})`,
    );
  }
  kv2.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}
