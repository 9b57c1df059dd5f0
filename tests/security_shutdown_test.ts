/**
 * Security: a forced shutdown (requests still running when the grace period
 * ends) is quiet: a request cut off with its connection is not an error of
 * Parley's, so nothing is logged as "unhandled error" and nothing answers 500.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";

Deno.test("[security] a forced shutdown cuts slow requests without an unhandled error", async () => {
  const app = await startTestApp();
  const errors: string[] = [];
  const realError = console.error;
  console.error = (...args: unknown[]) => {
    errors.push(args.map(String).join(" "));
  };
  const conns: Deno.Conn[] = [];
  try {
    // Requests whose bodies never finish: the handlers are still reading them at shutdown.
    for (const path of ["/api/v1/auth/login", "/webhooks/whatsapp", "/login"]) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: app.port });
      conns.push(conn);
      await conn.write(new TextEncoder().encode(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\norigin: ${app.url}\r\n` +
          `content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"email":`,
      ));
    }
    // The server answers a health check: the slow requests above have been taken in by now.
    const health = await fetch(app.url + "/healthz");
    assert.equal(health.status, 200);
    await health.body?.cancel();
    await app.shutdown();
  } finally {
    console.error = realError;
    for (const c of conns) {
      try {
        c.close();
      } catch { /* closed by the server */ }
    }
  }
  assert.deepEqual(errors.filter((e) => /unhandled error/.test(e)), []);
});
