import assert from "node:assert/strict";
import { Serving } from "./server.ts";

Deno.test("[server] stop lets running requests finish, refuses new ones, and always ends", async () => {
  let release!: () => void;
  const slow = new Promise<void>((resolve) => release = resolve);
  // Both requests are known to be running before the stop begins (no guess at how long that takes).
  let started = 0;
  let bothStarted!: () => void;
  const running = new Promise<void>((resolve) => bothStarted = resolve);
  const serving = new Serving(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/slow" || path === "/never") { if (++started === 2) bothStarted(); }
    if (path === "/slow") await slow;
    if (path === "/never") await new Promise(() => {});
    return new Response("done");
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {}, signal: serving.signal },
    serving.handler,
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  // A client that connects and never sends anything (a browser's preconnect).
  const idle = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });

  const inFlight = fetch(base + "/slow").then(async (r) => [r.status, await r.text()]);
  const never = fetch(base + "/never").then((r) => r.status).catch(() => "cut");
  await running;
  const stopping = serving.stop(server, 300);
  const refused = await fetch(base + "/other").then(async (r) => [r.status, await r.text()]).catch(
    () => ["cut"],
  );
  release();
  assert.deepEqual(await inFlight, [200, "done"], "a running request finishes");
  await stopping; // ends although /never never answers and a connection is idle
  assert.equal(await never, "cut");
  assert.equal(refused[0], 503, "a new request is refused, to be retried");
  idle.close();
});
