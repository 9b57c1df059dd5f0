/**
 * `deno task bench:realtime`: end-to-end delivery latency through Parley's
 * real-time layer under a steady chat load, beside two baselines measured in
 * the same run. Not a test: it prints figures.
 *
 * Load (environment, defaults): CONVERSATIONS=500 visitors on /ws/visitor,
 * AGENTS=50 on /ws/agent, each visitor sends a message every INTERVAL_MS=2000
 * for DURATION_S=30, and the agent holding the chat answers every
 * REPLY_EVERY=4th of them at once (250 + 62 messages/s by default;
 * REPLY_EVERY=1 answers all: 500 messages/s).
 * Measured at the clients (one clock, this process): visitor→agent and
 * agent→visitor delivery latency (send frame → message frame at the other
 * side, through the engine's atomic commit, the change log, the hub and the
 * socket), messages/s delivered, and the server's RSS (its own process).
 *
 * Baselines: (1) a bare Deno WebSocket relay without KV (bench/realtime/
 * relay.ts) under the same load for RELAY_DURATION_S=10; (2) raw KV commit +
 * watch latency: one handle commits a key, another handle on the same file
 * watches it (how one instance hears another), SAMPLES=300 taken 2 ms apart
 * before the load; and the same probe on its own file every 20 ms during the
 * Parley load (the store's cost on this machine while it is that busy, timed
 * in the client process like the chat messages). The target ratio is against
 * the first; the second is printed beside it.
 * The server also reports where its time goes per message (see
 * bench/realtime/server.ts).
 *
 * `--instances N` (e.g. `deno task bench:realtime --instances 2`) adds a run
 * with N server processes on one KV file, visitors and agents spread over
 * them, and prints same-instance and cross-instance delivery beside the
 * single-instance figures of the same run (a cross-instance delivery waits for
 * the other process's poll of the change head, KV_POLL_MS).
 */
import {
  cpuSecondsOf,
  envNumber,
  mib,
  ms,
  openSocket,
  percentiles,
  pool,
  rssOf,
  sleep,
  spawnServer,
} from "./realtime/common.ts";
import {
  kvCommitWatch,
  kvCommitWatchWhile,
  Load,
  type LoadShape,
  relayBaseline,
  type Stats,
} from "./realtime/load.ts";

const CONVERSATIONS = envNumber("CONVERSATIONS", 500);
const AGENTS = envNumber("AGENTS", 50);
const INTERVAL_MS = envNumber("INTERVAL_MS", 2000);
const DURATION_S = envNumber("DURATION_S", 30);
const RELAY_DURATION_S = envNumber("RELAY_DURATION_S", Math.min(10, DURATION_S));
const SAMPLES = envNumber("SAMPLES", 300);
/** The agent answers every REPLY_EVERY-th message of each visitor (1 = every one). */
const REPLY_EVERY = envNumber("REPLY_EVERY", 4);
/** `--instances N`: also a run with N server processes on one KV file, clients spread over them. */
const INSTANCES = instancesArg(Deno.args);

function instancesArg(args: string[]): number {
  const i = args.findIndex((a) => a === "--instances" || a.startsWith("--instances="));
  if (i < 0) return 1;
  const raw = args[i].includes("=") ? args[i].split("=")[1] : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    throw new Error(`--instances must be 1..8, got ${raw}`);
  }
  return n;
}
const SHAPE: LoadShape = {
  conversations: CONVERSATIONS,
  agents: AGENTS,
  intervalMs: INTERVAL_MS,
  replyEvery: REPLY_EVERY,
};

/** One of the server's timings (bench/realtime/server.ts), in ms. */
interface Timing {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

const line = (name: string, s: Stats) =>
  `${name.padEnd(34)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  (n=${s.n})`;

// -------------------------------------------------------------- Parley run
async function json(res: Response) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * One Parley run. With `instances` > 1, that many server processes share one
 * KV file; visitors and agents are spread over them round-robin (setup goes
 * through the first), and each delivery is grouped "same" or "cross" by
 * whether the visitor's and the agent's sockets are on one instance.
 * RSS and CPU are summed over the servers; the per-message timings come from
 * the first server (a cross-instance delivery has no single server's view).
 */
async function parleyRun(instances = 1): Promise<
  Load & {
    rssStart: number;
    rssMax: number;
    rssEnd: number;
    cpu: number;
    timings: Record<"commits" | "toCommit" | "commit" | "toSend", Timing>;
    kvUnderLoad: Stats;
  }
> {
  const dir = await Deno.makeTempDir();
  const password = "bench-password-123";
  const memory = Deno.env.get("BENCH_KV") === "memory";
  if (memory && instances > 1) throw new Error("several instances need a KV file, not :memory:");
  const env = {
    KV_PATH: memory ? ":memory:" : `${dir}/parley.kv`,
    PORT: "0",
    PASSWORD_ITERATIONS: "1000",
  };
  // The first creates the admin; the others start once it has.
  const servers = [
    await spawnServer("./server.ts", {
      ...env,
      ADMIN_EMAIL: "admin@bench.test",
      ADMIN_PASSWORD: password,
    }),
  ];
  const server = servers[0];
  const url = server.url;
  const wsBases = servers.map((s) => s.url.replace(/^http/, "ws"));
  try {
    while (servers.length < instances) {
      servers.push(await spawnServer("./server.ts", env));
      wsBases.push(servers.at(-1)!.url.replace(/^http/, "ws"));
    }
    const instanceOfAgent = (a: number) => a % instances;
    const instanceOfVisitor = (i: number) => i % instances;
    const login = async (email: string) => {
      const res = await fetch(url + "/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      await json(res);
      return (res.headers.get("set-cookie") ?? "").split(";")[0];
    };
    const admin = await login("admin@bench.test");
    const call = (method: string, path: string, cookie: string, body?: unknown) =>
      fetch(url + path, {
        method,
        headers: { cookie, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(json);
    await call("PUT", "/api/v1/admin/settings", admin, {
      maxChatsPerAgent: Math.min(100, Math.ceil(CONVERSATIONS / AGENTS) + 1),
    });

    // Agents: accounts, sockets, Online.
    const agentCookies = await pool([...Array(AGENTS).keys()], 10, async (a) => {
      const email = `agent${a}@bench.test`;
      await call("POST", "/api/v1/admin/agents", admin, {
        name: `Agent ${a}`,
        email,
        password,
        role: "agent",
      });
      return await login(email);
    });
    const agents = await pool(
      agentCookies,
      20,
      (cookie, a) => openSocket(`${wsBases[instanceOfAgent(a)]}/ws/agent`, { cookie }),
    );
    await pool(
      agentCookies,
      10,
      (cookie) => call("PUT", "/api/v1/me/status", cookie, { status: "online" }),
    );

    // Visitors: a session, a socket, a first message that opens the conversation.
    const conversationOf: string[] = [];
    // Sessions one at a time: they all count on one per-address counter in KV, and
    // concurrent starts from one address lose its races (the widget answers those 429).
    const tokens = await pool(
      [...Array(CONVERSATIONS).keys()],
      1,
      async () =>
        (await fetch(url + "/api/v1/widget/sessions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }).then(json)).visitorToken as string,
    );
    const visitors = await pool([...Array(CONVERSATIONS).keys()], 50, async (i) => {
      const session = { visitorToken: tokens[i] };
      const ws = await openSocket(
        `${wsBases[instanceOfVisitor(i)]}/ws/visitor?token=${
          encodeURIComponent(session.visitorToken)
        }`,
      );
      const acked = new Promise<{ conversationId: string; seq: number }>((resolve) => {
        ws.onmessage = (e) => {
          const f = JSON.parse(e.data);
          if (f.type === "ack") resolve(f);
        };
      });
      ws.send(
        JSON.stringify({
          type: "send",
          conversationId: "new",
          clientId: `first-${i}`,
          text: "Hello",
        }),
      );
      const ack = await acked;
      conversationOf[i] = ack.conversationId;
      ws.send(
        JSON.stringify({
          type: "subscribe",
          conversationId: ack.conversationId,
          afterSeq: ack.seq,
        }),
      );
      return ws;
    });

    // Every agent subscribes to the chats it was assigned.
    const holderOf = new Map<string, number>();
    let assigned = 0;
    for (let attempt = 0; attempt < 100 && assigned < CONVERSATIONS; attempt++) {
      assigned = 0;
      await pool(agentCookies, 10, async (cookie, a) => {
        const list = await call("GET", "/api/v1/conversations?status=active&limit=200", cookie);
        for (const c of list.items) {
          holderOf.set(c.id, a);
          agents[a].send(
            JSON.stringify({ type: "subscribe", conversationId: c.id, afterSeq: c.lastSeq }),
          );
        }
        assigned += list.items.length;
      });
      if (assigned < CONVERSATIONS) await sleep(200);
    }
    console.log(`  setup: ${AGENTS} agents, ${CONVERSATIONS} conversations (${assigned} assigned)`);
    await sleep(1000);

    // A delivery is "cross" when the visitor's and the agent's sockets are on different instances.
    const visitorOf = new Map(conversationOf.map((id, i) => [id, i]));
    const groupOf = (conversationId: string) => {
      const i = visitorOf.get(conversationId);
      const a = holderOf.get(conversationId);
      if (i === undefined || a === undefined) return undefined;
      return instanceOfVisitor(i) === instanceOfAgent(a) ? "same" : "cross";
    };
    const rssAll = () => servers.reduce((sum, s) => sum + rssOf(s.pid), 0);
    const cpuAll = () => servers.reduce((sum, s) => sum + cpuSecondsOf(s.pid), 0);
    const rssStart = rssAll();
    const cpuStart = cpuAll();
    Deno.kill(server.pid, "SIGUSR2"); // reset the server's commit timings
    await server.nextLine("TIMINGS");
    let rssMax = rssStart;
    const sampler = setInterval(() => rssMax = Math.max(rssMax, rssAll()), 1000);
    let k = 0;
    const load = new Load(SHAPE);
    for (const ws of agents) {
      ws.onmessage = (e) => {
        const f = JSON.parse(e.data);
        if (f.type === "error") load.errors++;
        if (f.type !== "message" || f.message.author?.type !== "customer") return;
        if (load.visitorToAgent(f.message.text, groupOf(f.conversationId))) {
          ws.send(JSON.stringify({
            type: "send",
            conversationId: f.conversationId,
            clientId: `a${k++}`,
            text: `r${f.message.text}`,
          }));
        }
      };
    }
    for (const ws of visitors) {
      ws.onmessage = (e) => {
        const f = JSON.parse(e.data);
        if (f.type === "error") load.errors++;
        if (f.type === "message" && f.message.author?.type === "agent") {
          load.agentToVisitor(f.message.text, groupOf(f.conversationId));
        }
      };
    }
    // The raw store's commit → watch, probed on its own file while the chats run.
    const kvUnderLoad = kvCommitWatchWhile(sleep(DURATION_S * 1000));
    await load.run(DURATION_S, CONVERSATIONS, (i, tag) => {
      visitors[i].send(
        JSON.stringify({
          type: "send",
          conversationId: conversationOf[i],
          clientId: tag,
          text: tag,
        }),
      );
    });
    clearInterval(sampler);
    const rssEnd = rssAll();
    const cpu = (cpuAll() - cpuStart) / (load.seconds + 3);
    const stats = server.nextLine("TIMINGS");
    Deno.kill(server.pid, "SIGUSR2");
    const timings = JSON.parse((await stats).slice("TIMINGS ".length));
    for (const ws of [...agents, ...visitors]) ws.close();
    return Object.assign(load, {
      kvUnderLoad: await kvUnderLoad,
      rssStart,
      rssMax: Math.max(rssMax, rssEnd),
      rssEnd,
      cpu,
      timings,
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

// ---------------------------------------------------------------------- main
if (import.meta.main) {
  console.log(
    `bench:realtime — ${CONVERSATIONS} conversations, ${AGENTS} agents, a visitor message every ` +
      `${INTERVAL_MS} ms for ${DURATION_S} s, every ${
        REPLY_EVERY === 1 ? "" : `${REPLY_EVERY}th `
      }` +
      `one answered by its agent (load average now: ${
        Deno.loadavg().map((n) => n.toFixed(1)).join(" ")
      })\n`,
  );
  console.log("baseline: raw KV commit + watch");
  const kv = await kvCommitWatch(SAMPLES);
  console.log("  " + line("commit → watch (other handle)", kv.cross));
  console.log("  " + line("commit → watch (same handle)", kv.same));

  console.log(`\nbaseline: bare Deno WebSocket relay, no KV (${RELAY_DURATION_S} s)`);
  const relay = await relayBaseline(SHAPE, RELAY_DURATION_S);
  const rv2a = percentiles(relay.v2a);
  const ra2v = percentiles(relay.a2v);
  console.log("  " + line("visitor → agent", rv2a));
  console.log("  " + line("agent → visitor", ra2v));
  console.log(`  delivered ${(relay.delivered / relay.seconds).toFixed(0)} messages/s`);

  console.log(`\nParley (${DURATION_S} s)`);
  const run = await parleyRun();
  const v2a = percentiles(run.v2a);
  const a2v = percentiles(run.a2v);
  const all = percentiles([...run.v2a, ...run.a2v]);
  console.log("  " + line("visitor → agent", v2a));
  console.log("  " + line("agent → visitor", a2v));
  console.log("  " + line("both directions", all));
  console.log(
    `  delivered ${(run.delivered / run.seconds).toFixed(0)} messages/s; sent ${run.sent}, ` +
      `delivered ${run.delivered}, lost ${run.sent - run.delivered}, error frames ${run.errors}`,
  );
  console.log(
    `  server RSS: ${mib(run.rssStart)} before load, max ${mib(run.rssMax)}, end ${
      mib(run.rssEnd)
    }; server CPU ${(run.cpu * 100).toFixed(0)}% of one core during the load`,
  );
  const t = run.timings;
  const timing = (s: Timing) => `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`;
  console.log(
    `  the server's KV commits during the load: ${t.commits.n}, ${timing(t.commits)} ` +
      `(a stalled commit holds up every message behind it)`,
  );
  console.log(`  inside the server, per message (n=${t.commit.n}):`);
  console.log(`    frame received → commit starts   ${timing(t.toCommit)}`);
  console.log(`    its commit                       ${timing(t.commit)}`);
  console.log(`    commit done → frame to a socket  ${timing(t.toSend)}`);

  const relayAll = percentiles([...relay.v2a, ...relay.a2v]);
  console.log("\nratios");
  console.log(
    `  Parley p50 / KV commit+watch p50 (other handle): ${
      (all.p50 / kv.cross.p50).toFixed(2)
    }×  (target ≤ 2×)`,
  );
  console.log(
    `  Parley p50 / KV commit+watch p50 measured during the load (${
      ms(run.kvUnderLoad.p50)
    }, n=${run.kvUnderLoad.n}): ${(all.p50 / run.kvUnderLoad.p50).toFixed(2)}×`,
  );
  console.log(`  Parley p50 / relay p50: ${(all.p50 / relayAll.p50).toFixed(2)}×`);
  console.log(`  Parley p99 / relay p99: ${(all.p99 / relayAll.p99).toFixed(2)}×`);
  console.log(`  Parley p99: ${ms(all.p99)} (target ≤ 25 ms at ≥ 250 messages/s)`);

  if (INSTANCES > 1) {
    const poll = Deno.env.get("KV_POLL_MS") ?? "100, the default";
    console.log(
      `\nParley, ${INSTANCES} server processes on one KV file, visitors and agents spread ` +
        `over them (${DURATION_S} s, KV_POLL_MS ${poll})`,
    );
    const multi = await parleyRun(INSTANCES);
    const same = percentiles(multi.groups.get("same") ?? []);
    const cross = percentiles(multi.groups.get("cross") ?? []);
    const both = percentiles([...multi.v2a, ...multi.a2v]);
    console.log("  " + line("same instance (both directions)", same));
    console.log("  " + line("cross-instance (both directions)", cross));
    console.log("  " + line("all deliveries", both));
    console.log(
      `  delivered ${
        (multi.delivered / multi.seconds).toFixed(0)
      } messages/s; sent ${multi.sent}, ` +
        `delivered ${multi.delivered}, lost ${
          multi.sent - multi.delivered
        }, error frames ${multi.errors}`,
    );
    console.log(
      `  servers' RSS summed: ${mib(multi.rssStart)} before load, max ${mib(multi.rssMax)}; ` +
        `servers' CPU summed ${(multi.cpu * 100).toFixed(0)}% of one core during the load`,
    );
    console.log(
      `  beside the single instance of this run: p50 ${ms(all.p50)}, p99 ${ms(all.p99)} → ` +
        `cross-instance p50 ${ms(cross.p50)} (${(cross.p50 / all.p50).toFixed(1)}×), ` +
        `p99 ${ms(cross.p99)} (${(cross.p99 / all.p99).toFixed(1)}×)`,
    );
  }
  console.log(`  load average at the end: ${Deno.loadavg().map((n) => n.toFixed(1)).join(" ")}`);
  Deno.exit(0);
}
