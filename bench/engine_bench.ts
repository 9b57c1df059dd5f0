/**
 * Engine benchmark (`deno task bench`): automatic assignments per second and
 * message appends per second, beside the raw Deno KV atomic commit rate
 * measured on the same store just before and after each workload (the mean is
 * the baseline), with the ratio. The machine may be shared, so read the
 * ratio rather than the absolute figures.
 * Runs on a temporary SQLite-file KV (as `deno task start` uses) and on
 * `:memory:`. Figures are printed; nothing is asserted.
 *
 * "10 writers at once" is where group commit shows (lib/store/engine/
 * commit_queue.ts): it runs again with grouping off (one commit per message)
 * on the same store, as the before figure.
 *
 * Options: `--chats N` (default 500), `--messages N` (default 1000), `--commits N` (default 3000).
 */
import { createAgent } from "../lib/store/agents.ts";
import {
  appendStaffMessage,
  receiveCustomerMessage,
  setAgentStatus,
  updateSettings,
} from "../lib/store/engine/mod.ts";
import { Engine } from "../lib/store/engine/engine.ts";
import { keys } from "../lib/store/keys.ts";
import { arg, rawCommitRate } from "./common.ts";
import { type OpShape, shapeOf } from "./op_shape.ts";

const CHATS = arg("chats", 500);
const MESSAGES = arg("messages", 1000);
const COMMITS = arg("commits", 2000);
const AGENTS = 10;

async function assignmentRate(engine: Engine): Promise<number> {
  const { kv } = engine;
  await updateSettings(engine, { dynamicAssignment: false, maxChatsPerAgent: 100 });
  const agents = [];
  for (let i = 0; i < AGENTS; i++) {
    agents.push(
      await createAgent(kv, {
        name: `Bench ${i}`,
        email: `bench${i}-${crypto.randomUUID().slice(0, 6)}@example.test`,
        password: "bench-password",
        role: "agent",
      }, 1000),
    );
  }
  for (const a of agents) await setAgentStatus(engine, a.id, "online");
  for (let i = 0; i < CHATS; i++) {
    await receiveCustomerMessage(engine, {
      channel: "webchat",
      contact: { webVisitorId: `bench-visitor-${i}` },
      clientId: `c${i}`,
      text: "hello",
    });
  }
  const t0 = performance.now();
  await updateSettings(engine, { dynamicAssignment: true }); // runs assignment until the queue is empty
  const seconds = (performance.now() - t0) / 1000;
  let left = 0;
  for await (const _ of kv.list({ prefix: keys.queuePrefix() })) left++;
  if (left !== Math.max(0, CHATS - AGENTS * 100)) {
    throw new Error(`${left} chats left in the queue`);
  }
  return CHATS / seconds;
}

/** Message appends into Active chats: agent replies, customer messages, 10 customers at once. */
async function appendRates(
  engine: Engine,
): Promise<{ staff: number; customer: number; ten: number; tenAlone: number; shape: OpShape }> {
  const { kv } = engine;
  await updateSettings(engine, { maxChatsPerAgent: 100 });
  const agent = await createAgent(kv, {
    name: "Writer",
    email: `writer-${crypto.randomUUID().slice(0, 6)}@example.test`,
    password: "bench-password",
    role: "agent",
  }, 1000);
  await setAgentStatus(engine, agent.id, "online");
  const say = (visitor: string, clientId: string, by = engine) =>
    receiveCustomerMessage(by, {
      channel: "webchat",
      contact: { webVisitorId: visitor },
      clientId,
      text: "hello",
    });
  const chats: { id: string; assigneeId: string | null }[] = [];
  for (let w = 0; w <= 10; w++) {
    chats.push((await say(`bench-writer-${w}`, `open-${w}`)).conversation);
  }
  if (chats.some((c) => c.assigneeId !== agent.id)) throw new Error("setup: chats not assigned");
  const rate = async (work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    return MESSAGES / ((performance.now() - t0) / 1000);
  };
  for (let i = 0; i < 100; i++) { // warm up (JIT, KV pages) before timing
    await appendStaffMessage(engine, chats[0].id, agent, { text: "warm", clientId: `warm${i}` });
  }
  const staff = await rate(async () => {
    for (let i = 0; i < MESSAGES; i++) {
      await appendStaffMessage(engine, chats[0].id, agent, { text: `m${i}`, clientId: `s${i}` });
    }
  });
  const customer = await rate(async () => {
    for (let i = 0; i < MESSAGES; i++) await say("bench-writer-0", `c${i}`);
  });
  // Ten customers at once, each in its own chat (every commit still bumps the one change head).
  const tenWriters = (tag: string, by: Engine) =>
    rate(() =>
      Promise.all(Array.from({ length: 10 }, async (_, w) => {
        for (let i = 0; i < MESSAGES / 10; i++) {
          await say(`bench-writer-${w + 1}`, `${tag}${w}-${i}`, by);
        }
      }))
    );
  const ten = await tenWriters("t", engine);
  // The same with group commit off (one commit per message, as before), beside it.
  const tenAlone = await tenWriters("u", new Engine(kv, { maxGroup: 1 }));
  // What one more customer message commits (same chat, same text: the shape the writers made).
  const shape = await shapeOf(() => say("bench-writer-1", "shape"));
  return { staff, customer, ten, tenAlone, shape };
}

/** Runs `work` with the raw commit rate measured on the same store just before and after. */
async function paired(kv: Deno.Kv, work: () => Promise<number>): Promise<[number, number]> {
  const before = await rawCommitRate(kv, COMMITS);
  const rate = await work();
  const after = await rawCommitRate(kv, COMMITS);
  return [rate, (before + after) / 2];
}

async function run(label: string, open: () => Promise<Deno.Kv>) {
  const row = (name: string, [rate, raw]: [number, number]) =>
    console.log(
      `${label.padEnd(7)} ${name.padEnd(38)} ${rate.toFixed(0).padStart(7)}/s   raw ${
        raw.toFixed(0).padStart(6)
      }/s   ${(rate / raw).toFixed(3)} × raw`,
    );
  const kv = await open();
  row(
    `assignments (${CHATS} queued, ${AGENTS} agents)`,
    await paired(kv, () => assignmentRate(new Engine(kv))),
  );
  kv.close();
  const kv2 = await open();
  let rates = {
    staff: 0,
    customer: 0,
    ten: 0,
    tenAlone: 0,
    shape: { sets: 0, sums: 0, checks: 0, searchSets: 0 },
  };
  const [, raw] = await paired(kv2, async () => {
    rates = await appendRates(new Engine(kv2));
    return 0;
  });
  row("agent replies, one writer", [rates.staff, raw]);
  row("customer messages, one writer", [rates.customer, raw]);
  row("customer messages, 10 writers at once", [rates.ten, raw]);
  row("  same, one commit each (no grouping)", [rates.tenAlone, raw]);
  // What one message writes: the cost group commit shares out (bench/op_shape.ts).
  const { sets, sums, checks, searchSets } = rates.shape;
  console.log(
    `${label.padEnd(7)}   a customer message commits ${sets} sets (${searchSets} search postings)` +
      ` + ${sums} sums and ${checks} checks; a raw commit 1 set and 1 check`,
  );
  kv2.close();
}

const dir = await Deno.makeTempDir({ prefix: "parley-bench-" });
try {
  let n = 0;
  console.log(`Parley engine benchmark: deno ${Deno.version.deno}, ${Deno.build.target}`);
  await run("file", async () => await Deno.openKv(`${dir}/bench-${n++}.kv`));
  await run("memory", async () => await Deno.openKv(":memory:"));
} finally {
  await Deno.remove(dir, { recursive: true });
}
