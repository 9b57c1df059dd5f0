/**
 * WhatsApp benchmark (`deno task bench:whatsapp`), on a real server and a fake
 * Graph API over loopback HTTP with `:memory:` KV:
 *
 * - webhook acknowledgement: signed POSTs answered per second and their
 *   latency (verify + parse + one atomic enqueue; what Meta waits for);
 * - inbound throughput: webhook messages (each from a new customer, so each
 *   opens a conversation) stored per second, end to end through the queue;
 * - outbound throughput: agent replies delivered to the fake Graph API and
 *   marked "sent", per second;
 *
 * beside the raw KV atomic commit rate measured in the same run, with ratios.
 * Figures are printed; nothing is asserted.
 *
 * Options: `--webhooks N` (default 300), `--replies N` (default 200), `--commits N` (default 2000).
 */
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { createAgent } from "../lib/store/agents.ts";
import { createSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { findContact, getOpenConversation } from "../lib/store/engine/records.ts";
import { getMessageById } from "../lib/store/engine/records.ts";
import { signWhatsAppBody } from "../lib/channels/whatsapp_signature.ts";
import { startFakeGraph } from "../tests/fake_graph.ts";
import { PHONE_NUMBER_ID, textBody } from "../tests/whatsapp_fixtures.ts";
import { arg, rawCommitRate } from "./common.ts";

const WEBHOOKS = arg("webhooks", 300);
const REPLIES = arg("replies", 200);
const COMMITS = arg("commits", 2000);
const SECRET = "bench-secret";

async function until(probe: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 120_000;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error("bench: gave up waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const graph = await startFakeGraph({ token: "bench-token", phoneNumberId: PHONE_NUMBER_ID });
const kv = await Deno.openKv(":memory:");
const config = loadConfig({
  KV_PATH: ":memory:",
  PORT: "0",
  PASSWORD_ITERATIONS: "1000",
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_ACCESS_TOKEN: "bench-token",
  WHATSAPP_APP_SECRET: SECRET,
  WHATSAPP_VERIFY_TOKEN: "v",
  WHATSAPP_GRAPH_URL: graph.url,
});
const server = await startServer(config, routeTable, { kv });
try {
  const raw = await rawCommitRate(kv, COMMITS);

  // Webhook acknowledgement and inbound throughput.
  const waIds = Array.from({ length: WEBHOOKS }, (_, i) => String(33600000000 + i));
  const bodies = await Promise.all(waIds.map(async (waId) => {
    const body = JSON.stringify(textBody({ waId, name: `Customer ${waId}` }, `hello from ${waId}`));
    return { body, signature: await signWhatsAppBody(SECRET, body) };
  }));
  const latencies: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < bodies.length) {
      const { body, signature } = bodies[next++];
      const s = performance.now();
      const res = await fetch(`${server.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body,
      });
      await res.body?.cancel();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      latencies.push(performance.now() - s);
    }
  }));
  const ackSeconds = (performance.now() - t0) / 1000;
  const conversations: string[] = [];
  await until(async () => {
    while (conversations.length < waIds.length) {
      const contact = await findContact(kv, "whatsapp", waIds[conversations.length]);
      const conv = contact ? await getOpenConversation(kv, contact.id, "whatsapp") : null;
      if (!conv) return false;
      conversations.push(conv.id);
    }
    return true;
  });
  const inboundSeconds = (performance.now() - t0) / 1000;

  // Outbound: a supervisor replies in each conversation; wait until every reply is "sent".
  const supervisor = await createAgent(kv, {
    name: "Bench supervisor",
    email: `bench-${crypto.randomUUID().slice(0, 6)}@example.test`,
    password: "bench-password",
    role: "supervisor",
  }, 1000);
  const cookie = `${SESSION_COOKIE}=${await createSession(kv, supervisor.id, 3600_000)}`;
  const t1 = performance.now();
  const ids: string[] = [];
  for (const id of conversations.slice(0, REPLIES)) {
    const res = await fetch(`${server.url}/api/v1/conversations/${id}/messages`, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ text: "Thanks, looking into it.", clientId: crypto.randomUUID() }),
    });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`reply answered ${res.status}`);
    ids.push(body.message.id);
  }
  let done = 0;
  await until(async () => {
    while (done < ids.length) {
      const m = await getMessageById(kv, ids[done]);
      if (m?.delivery?.status !== "sent") return false;
      done++;
    }
    return true;
  });
  const outboundSeconds = (performance.now() - t1) / 1000;

  latencies.sort((a, b) => a - b);
  const ackRate = WEBHOOKS / ackSeconds;
  const inboundRate = WEBHOOKS / inboundSeconds;
  const outboundRate = ids.length / outboundSeconds;
  const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
  console.log(
    `WhatsApp benchmark (:memory: KV, loopback HTTP, ${WEBHOOKS} webhooks, ${ids.length} replies)`,
  );
  line("raw KV atomic commits/s (baseline)", raw.toFixed(0));
  line(
    "webhooks acknowledged/s (8 concurrent)",
    `${ackRate.toFixed(0)}  (${(ackRate / raw).toFixed(3)} × raw)`,
  );
  line(
    "webhook latency p50 / p95 / max (ms)",
    `${pct(latencies, 0.5).toFixed(1)} / ${pct(latencies, 0.95).toFixed(1)} / ${
      latencies.at(-1)!.toFixed(1)
    }`,
  );
  line(
    "inbound messages stored/s (new conversations)",
    `${inboundRate.toFixed(0)}  (${(inboundRate / raw).toFixed(3)} × raw)`,
  );
  line(
    "outbound replies sent/s (through fake Graph)",
    `${outboundRate.toFixed(0)}  (${(outboundRate / raw).toFixed(3)} × raw)`,
  );
} finally {
  await server.shutdown();
  kv.close();
  await graph.close();
}
