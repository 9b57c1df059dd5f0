import assert from "node:assert/strict";
import { Hub } from "../lib/realtime/hub.ts";
import { LocalChanges } from "../lib/store/local_changes.ts";
import { SseReader, TestSocket } from "./realtime_helpers.ts";

Deno.test("[realtime] shutdown waits for commits in flight before it finishes", async () => {
  const kv = await Deno.openKv(":memory:");
  const hub = new Hub(kv, new LocalChanges());
  await hub.start();
  let commit!: () => void;
  let committed = false;
  hub.track(new Promise<void>((resolve) => commit = resolve).then(() => committed = true));
  const closed: number[] = [];
  const unregister = hub.register({
    close: (code) => {
      closed.push(code);
      unregister(); // the client completed the close handshake
    },
  });
  let finished = false;
  const closing = hub.close().then(() => finished = true);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(closed, [1012], "live connections are told to reconnect at once");
  assert.equal(finished, false, "…but shutdown is not done while a commit is in flight");
  commit();
  await closing;
  assert.equal(committed, true);
  kv.close();
});

Deno.test("[realtime] SIGTERM: sockets closed with 1012, streams ended, exit code 0", async () => {
  const password = "shutdown-password-123";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: new URL("../", import.meta.url).pathname,
    env: {
      KV_PATH: ":memory:",
      PORT: "0",
      ADMIN_EMAIL: "admin@example.test",
      ADMIN_PASSWORD: password,
      PASSWORD_ITERATIONS: "1000",
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  let url = "";
  let socket: TestSocket | null = null;
  let stream: SseReader | null = null;
  try {
    while (!url) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`main.ts ended before listening:\n${output}`);
      output += value;
      url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? "";
    }
    const login = await fetch(url + "/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.test", password }),
    });
    assert.equal(login.status, 200);
    await login.body?.cancel();
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    socket = await TestSocket.open(url.replace(/^http/, "ws") + "/ws/agent", { cookie });
    await socket.waitFor((f) => f.type === "hello");
    stream = await SseReader.open(url + "/api/v1/stream", { cookie });
    await stream.waitFor((e) => e.event === "ready");

    child.kill("SIGTERM");
    const closed = await socket.closed;
    assert.equal(closed.code, 1012, "the chat pane is told to reconnect");
    await stream.done;
    assert.ok(stream.events.some((e) => e.event === "restart"), "the stream says why it ends");
    const status = await child.status;
    assert.equal(status.code, 0);
  } finally {
    await socket?.close();
    await stream?.close();
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await lines.cancel().catch(() => {});
    await child.status;
  }
});
