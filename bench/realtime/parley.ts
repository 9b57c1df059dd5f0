/**
 * The Parley side of bench:realtime: starts Parley server processes
 * (./server.ts) on a temporary KV file, signs in the agents, opens the
 * visitors' and agents' sockets, then runs one load round per plan entry on
 * those same servers, each with the servers' RSS, CPU and the first server's
 * own timings and memory.
 */
import { cpuSecondsOf, openSocket, pool, rssOf, rssPartsOf, sleep, spawnServer } from "./common.ts";
import { kvCommitWatchWhile, Load, type LoadShape, type Stats } from "./load.ts";

/** The V8 flags the `start` task gives the server (deno.json), so the bench runs it the same way. */
export function startTaskV8Flags(): string {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  return /--v8-flags=(\S+)/.exec(String(config.tasks?.start ?? ""))?.[1] ?? "";
}

/** One of the server's timings (bench/realtime/server.ts), in ms. */
export interface Timing {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

// -------------------------------------------------------------- Parley run
async function json(res: Response) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * One Parley setup, then one load round per `plan` entry on it (the first is
 * the main figure; `--rate` steps up). With `instances` > 1, that many server processes share one
 * KV file; visitors and agents are spread over them round-robin (setup goes
 * through the first), and each delivery is grouped "same" or "cross" by
 * whether the visitor's and the agent's sockets are on one instance.
 * RSS and CPU are summed over the servers; the per-message timings come from
 * the first server (a cross-instance delivery has no single server's view).
 */
/** One load round on Parley (RSS and CPU summed over the servers). */
export type Round = Load & {
  /** The servers' RSS once started, before the setup (agents, visitors, conversations). */
  rssIdle: number;
  rssStart: number;
  /** The first server's RSS split (anonymous / file-backed) idle, before the load and at its end. */
  parts: Record<"idle" | "start" | "end", { anon: number; file: number }>;
  /** The first server's V8 heap right before the load (after the setup). */
  memoryStart: Deno.MemoryUsage;
  rssMax: number;
  rssEnd: number;
  cpu: number;
  timings: Record<"commits" | "toCommit" | "commit" | "toSend", Timing> & {
    memory: Deno.MemoryUsage;
    /** V8 heap spaces: [committed MiB, used MiB]. */
    spaces: Record<string, [number, number]>;
  };
  /** The engine's commits and the failed ones (lost races), summed over the servers. */
  engine: { commits: number; failed: number; busy: number };
  kvUnderLoad: Stats;
};

export async function parleyRun(
  SHAPE: LoadShape,
  plan: { intervalMs: number; seconds: number }[],
  instances = 1,
  /** More environment for the servers (e.g. CHANGE_SHARDS for a new store). */
  extraEnv: Record<string, string> = {},
  /** V8 flags for the servers (SERVER_V8_FLAGS by default). */
  v8Flags = Deno.env.get("SERVER_V8_FLAGS") ?? startTaskV8Flags(),
): Promise<Round[]> {
  const CONVERSATIONS = SHAPE.conversations;
  const AGENTS = SHAPE.agents;
  const dir = await Deno.makeTempDir();
  const password = "bench-password-123";
  const memory = Deno.env.get("BENCH_KV") === "memory";
  if (memory && instances > 1) throw new Error("several instances need a KV file, not :memory:");
  const env = {
    KV_PATH: memory ? ":memory:" : `${dir}/parley.kv`,
    PORT: "0",
    PASSWORD_ITERATIONS: "1000",
    // MAX_GROUP=1: group commit off (one commit per message), for a before/after.
    MAX_GROUP: Deno.env.get("MAX_GROUP") ?? "",
    CHANGE_SHARDS: Deno.env.get("CHANGE_SHARDS") ?? "",
    ...extraEnv,
  };
  // The first creates the admin; the others start once it has.
  const servers = [
    await spawnServer("./server.ts", {
      ...env,
      ADMIN_EMAIL: "admin@bench.test",
      ADMIN_PASSWORD: password,
    }, v8Flags),
  ];
  const server = servers[0];
  const url = server.url;
  const wsBases = servers.map((s) => s.url.replace(/^http/, "ws"));
  try {
    while (servers.length < instances) {
      servers.push(await spawnServer("./server.ts", env, v8Flags));
      wsBases.push(servers.at(-1)!.url.replace(/^http/, "ws"));
    }
    const rssIdle = servers.reduce((sum, s) => sum + rssOf(s.pid), 0);
    const partsIdle = rssPartsOf(server.pid);
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
    let k = 0;
    let load = new Load(SHAPE);
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
    const rounds: Round[] = [];
    for (const [r, { intervalMs, seconds }] of plan.entries()) {
      const rssStart = rssAll();
      const partsStart = rssPartsOf(server.pid);
      const cpuStart = cpuAll();
      // Reset the servers' commit timings and counts.
      const [before] = await Promise.all(servers.map((s) => {
        const line = s.nextLine("TIMINGS");
        Deno.kill(s.pid, "SIGUSR2");
        return line;
      }));
      const memoryStart = JSON.parse(before.slice("TIMINGS ".length)).memory;
      let rssMax = rssStart;
      const sampler = setInterval(() => rssMax = Math.max(rssMax, rssAll()), 1000);
      load = new Load({ ...SHAPE, intervalMs }, `q${r}`);
      // The raw store's commit → watch, probed on its own file while the chats run.
      const kvUnderLoad = kvCommitWatchWhile(sleep(seconds * 1000));
      await load.run(seconds, CONVERSATIONS, (i, tag) => {
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
      const partsEnd = rssPartsOf(server.pid);
      const cpu = (cpuAll() - cpuStart) / (load.seconds + 3);
      const all = await Promise.all(servers.map(async (s) => {
        const line = s.nextLine("TIMINGS");
        Deno.kill(s.pid, "SIGUSR2");
        return JSON.parse((await line).slice("TIMINGS ".length));
      }));
      const timings = all[0];
      const engine = { commits: 0, failed: 0, busy: 0 };
      for (const t of all) {
        engine.commits += t.engine.commits;
        engine.failed += t.engine.failed;
        engine.busy += t.engine.busy;
      }
      rounds.push(Object.assign(load, {
        kvUnderLoad: await kvUnderLoad,
        rssIdle,
        rssStart,
        parts: { idle: partsIdle, start: partsStart, end: partsEnd },
        memoryStart,
        rssMax: Math.max(rssMax, rssEnd),
        rssEnd,
        cpu,
        timings,
        engine,
      }));
    }
    for (const ws of [...agents, ...visitors]) ws.close();
    return rounds;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
