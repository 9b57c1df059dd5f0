/**
 * Workspace benchmark (`deno task bench:workspace`): how long the server takes
 * to render `/` for an agent holding 50 active chats with 1,000 closed ones in
 * KV, beside `/healthz` (the same server's floor: routing, session-less KV
 * read) and an empty workspace measured in the same run; and how many bytes,
 * gzipped, of JavaScript and CSS a workspace page loads.
 *
 * Options: `--runs N` (default 200), `--closed N` (default 1000), `--active N` (default 50).
 */
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { createAgent } from "../lib/store/agents.ts";
import { createSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { receiveCustomerMessage } from "../lib/store/engine/customer.ts";
import { closeConversation } from "../lib/store/engine/close.ts";
import { setAgentStatus } from "../lib/store/engine/presence.ts";
import { arg } from "./common.ts";
import { Engine } from "../lib/store/engine/engine.ts";

const RUNS = arg("runs", 200);
const CLOSED = arg("closed", 1000);
const ACTIVE = arg("active", 50);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function timeGet(url: string, cookie: string | null, runs: number) {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {} });
    const body = await res.arrayBuffer();
    const dt = performance.now() - t0;
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    if (i >= 5) ms.push(dt); // the first few warm caches up
    bytes = body.byteLength;
  }
  return { ...stats(ms), bytes };
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

const kv = await Deno.openKv(":memory:");
const engine = new Engine(kv);
const config = loadConfig({ KV_PATH: ":memory:", PORT: "0", PASSWORD_ITERATIONS: "1000" });
const server = await startServer(config, routeTable, { kv });
try {
  const mk = async (name: string, maxChats: number) => {
    const agent = await createAgent(kv, {
      name,
      email: `${name.toLowerCase().replace(/\W/g, "")}@bench.test`,
      password: "bench-password-1",
      role: "agent",
      maxChats,
    }, config.passwordIterations);
    const token = await createSession(kv, agent.id, config.sessionTtlMs);
    return { agent, cookie: `${SESSION_COOKIE}=${token}` };
  };
  const busy = await mk("Busy Agent", 100);
  const empty = await mk("Empty Agent", 4);
  await setAgentStatus(engine, busy.agent.id, "online");

  const t0 = performance.now();
  for (let i = 0; i < CLOSED + ACTIVE; i++) {
    const r = await receiveCustomerMessage(engine, {
      channel: i % 3 === 0 ? "whatsapp" : "webchat",
      contact: i % 3 === 0
        ? { whatsappId: `4915${String(i).padStart(8, "0")}`, name: `WhatsApp ${i}` }
        : { webVisitorId: `visitor-${i}`, name: `Visitor ${i}` },
      clientId: `bench-${i}`,
      text: `Question number ${i}: where is my order?`,
    });
    if (i < CLOSED) {
      await closeConversation(engine, r.conversation.id, busy.agent, { notes: `Answered ${i}` });
    }
  }
  const seedMs = performance.now() - t0;

  const health = await timeGet(`${server.url}/healthz`, null, RUNS);
  const blank = await timeGet(`${server.url}/`, empty.cookie, RUNS);
  const full = await timeGet(`${server.url}/`, busy.cookie, RUNS);

  const html = await (await fetch(`${server.url}/`, { headers: { cookie: busy.cookie } })).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/static\/build\/[^"]+\.(?:js|css))"/g)]
    .map((m) => m[1]);
  let jsGz = 0, cssGz = 0, jsRaw = 0, cssRaw = 0;
  for (const path of assets) {
    const bytes = new Uint8Array(await (await fetch(server.url + path)).arrayBuffer());
    const gz = await gzipSize(bytes);
    if (path.endsWith(".js")) (jsGz += gz, jsRaw += bytes.length);
    else (cssGz += gz, cssRaw += bytes.length);
  }
  const htmlGz = await gzipSize(new TextEncoder().encode(html));

  const f = (n: number) => n.toFixed(2);
  console.log(`Seeded ${ACTIVE} active + ${CLOSED} closed conversations in ${f(seedMs / 1000)} s`);
  console.log(`Render time over ${RUNS} requests (ms):`);
  console.log(`  GET /healthz (floor)            p50 ${f(health.p50)}  p95 ${f(health.p95)}`);
  console.log(
    `  GET / empty workspace           p50 ${f(blank.p50)}  p95 ${f(blank.p95)}  ${blank.bytes} B`,
  );
  console.log(
    `  GET / ${ACTIVE} active + ${CLOSED} closed   p50 ${f(full.p50)}  p95 ${
      f(full.p95)
    }  ${full.bytes} B`,
  );
  console.log(
    `  ratio full/empty p50 ${f(full.p50 / blank.p50)}x, full/healthz p50 ${
      f(full.p50 / health.p50)
    }x`,
  );
  console.log(`Page weight (gzipped):`);
  console.log(`  JS  ${(jsGz / 1024).toFixed(1)} KiB (raw ${(jsRaw / 1024).toFixed(1)} KiB)`);
  console.log(`  CSS ${(cssGz / 1024).toFixed(1)} KiB (raw ${(cssRaw / 1024).toFixed(1)} KiB)`);
  console.log(`  HTML of the full workspace ${(htmlGz / 1024).toFixed(1)} KiB`);
} finally {
  await server.shutdown();
  kv.close();
}
