/**
 * `deno task bench:connections`: server memory per idle visitor WebSocket.
 * The server (bench/realtime/server.ts) and the clients
 * (bench/realtime/idle_clients.ts) run in separate processes, since one
 * process may hold at most 20,000 open files here. SOCKETS=10000 by default.
 * Prints the server's RSS before and after, and the RSS per socket
 * (target ≤ 40 KiB). Not a test.
 */
import { issueVisitorToken } from "../lib/auth/visitor_token.ts";
import { newId } from "../lib/ids.ts";
import { envNumber, mib, rssOf, sleep, spawnServer } from "./realtime/common.ts";
import { Engine } from "../lib/store/engine/engine.ts";

const SOCKETS = envNumber("SOCKETS", 10_000);
const SETTLE_MS = envNumber("SETTLE_MS", 5_000);

const dir = await Deno.makeTempDir();
const kvPath = `${dir}/parley.kv`;
const server = await spawnServer("./server.ts", { KV_PATH: kvPath, PORT: "0" });
let clients: Deno.ChildProcess | null = null;
try {
  // One real session makes the default site; the rest of the tokens are signed the same way
  // with the install's secret (read from the same KV file), which is much faster than 10,000 POSTs.
  const first = await (await fetch(server.url + "/api/v1/widget/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  })).json();
  const payload = first.visitorToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const siteId = JSON.parse(atob(payload)).s as string;
  const kv = await Deno.openKv(kvPath);
  const engine = new Engine(kv);
  const tokens = [first.visitorToken as string];
  while (tokens.length < SOCKETS) {
    tokens.push(await issueVisitorToken(engine, { visitorId: newId(), siteId }));
  }
  kv.close();
  const tokensFile = `${dir}/tokens.json`;
  await Deno.writeTextFile(tokensFile, JSON.stringify(tokens));

  await sleep(1000);
  const before = rssOf(server.pid);
  const started = performance.now();
  clients = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./realtime/idle_clients.ts", import.meta.url).pathname,
      tokensFile,
      server.url.replace(/^http/, "ws"),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = clients.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/OPEN \d+ \d+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`clients ended early: ${out}`);
    out += value;
  }
  const [, open, failed] = /OPEN (\d+) (\d+)/.exec(out)!.map(Number);
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(SETTLE_MS);
  const after = rssOf(server.pid);
  const perSocket = (after - before) / open;
  console.log(`bench:connections — ${SOCKETS} idle visitor sockets, clients in a separate process`);
  console.log(`  opened ${open} (failed ${failed}) in ${openSeconds.toFixed(1)} s`);
  console.log(`  server RSS: ${mib(before)} before, ${mib(after)} with the sockets open`);
  console.log(`  RSS per socket: ${(perSocket / 1024).toFixed(1)} KiB (target ≤ 40 KiB)`);
  reader.cancel().catch(() => {});
} finally {
  try {
    clients?.kill("SIGTERM");
  } catch { /* gone */ }
  await clients?.status;
  await server.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
Deno.exit(0);
