/**
 * `deno task demo`: a month of a support team goes into an empty store through the real engine
 * (closed chats spread over the days with replies and wrap-ups, chats waiting now), the demo
 * accounts sign in and see it; a store with accounts is refused with one line (the task, run for
 * real on a KV file) and left as it was.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { DEMO_PASSWORD } from "../lib/demo/scenarios.ts";
import { seedDemo, StoreNotEmptyError } from "../lib/demo/seed.ts";
import { createAgent } from "../lib/store/agents.ts";

const DAY = 24 * 3_600_000;

Deno.test("[demo] seeds a small month through the engine; the admin sees it at once", async () => {
  const kv = await Deno.openKv(":memory:");
  const before = Date.now();
  const summary = await seedDemo(kv, { days: 4, perDay: 3, passwordIterations: 1000 });
  assert.equal(Date, globalThis.Date, "the real clock is back");
  assert.ok(Date.now() >= before);
  assert.deepEqual(summary, { accounts: 7, teams: 2, quickResponses: 5, closed: 12, open: 6 });
  await assert.rejects(() => seedDemo(kv, { days: 1, perDay: 1 }), StoreNotEmptyError);

  const config = loadConfig({ KV_PATH: ":memory:", PORT: "0", PASSWORD_ITERATIONS: "1000" });
  const server = await startServer(config, routeTable, { kv });
  try {
    const login = await fetch(server.url + "/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email: "sam@demo.parley.test", password: DEMO_PASSWORD }),
    });
    assert.equal(login.status, 200);
    await login.body?.cancel();
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const get = async (path: string) => {
      const res = await fetch(server.url + path, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      return await res.json();
    };
    const closed = await get("/api/v1/conversations?status=closed&limit=200");
    assert.equal(closed.items.length, 12);
    const created = closed.items.map((c: { createdAt: string }) => Date.parse(c.createdAt));
    assert.ok(Math.max(...created) - Math.min(...created) > 2 * DAY, "spread over the days");
    assert.ok(Math.min(...created) > before - 5 * DAY && Math.max(...created) <= Date.now());
    for (const c of closed.items) assert.ok(c.wrapUp?.notes, "each closed chat has a wrap-up");
    const one = await get(`/api/v1/conversations/${closed.items[0].id}`);
    const kinds = one.messages.filter((m: { type: string }) => m.type === "message")
      .map((m: { author: { type: string } }) => m.author.type);
    assert.ok(kinds.includes("customer") && kinds.includes("agent"), "a real exchange");
    const pending = await get("/api/v1/conversations?status=pending&limit=200");
    assert.equal(pending.items.length, 6, "the open chats wait in the queue");
    const agents = await get("/api/v1/agents");
    assert.equal(agents.items.length, 7);
    const qr = await get("/api/v1/quick-responses");
    assert.equal(qr.items.length, 5);
  } finally {
    await server.shutdown();
    kv.close();
  }
});

Deno.test("[demo] the task refuses a store that has accounts, in one line, changing nothing", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/used.kv`;
  try {
    const kv = await Deno.openKv(path);
    await createAgent(kv, {
      name: "Real Person",
      email: "real@example.com",
      password: "a-real-password",
      role: "admin",
    }, 1000);
    kv.close();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../demo.ts", import.meta.url).pathname],
      env: { KV_PATH: path, PASSWORD_ITERATIONS: "1000" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 1);
    assert.equal(stderr.split("\n").length, 1, stderr);
    assert.match(stderr, /already has accounts: demo data goes only into an empty store/);
    const after = await Deno.openKv(path);
    const agents = [];
    for await (const e of after.list({ prefix: ["agents"] })) agents.push(e.key);
    after.close();
    assert.equal(agents.length, 1, "nothing was added");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
