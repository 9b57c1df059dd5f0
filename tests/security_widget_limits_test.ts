/**
 * Security: the widget's rate limits count every request exactly once under
 * concurrency: an honest burst under the limit is never refused, and a burst
 * over it is refused by exactly the excess, also when two instances (two KV
 * handles on one file) count the same visitor at once.
 */
import assert from "node:assert/strict";
import { takeWidgetQuota, type WidgetBucket } from "../lib/channels/webchat_limits.ts";
import { AppError } from "../lib/errors.ts";
import { startTestApp } from "./helpers.ts";

const LIMITS = (limit: number): Record<WidgetBucket, { limit: number; windowMs: number }> => ({
  sessions: { limit, windowMs: 60_000 },
  messages: { limit, windowMs: 60_000 },
  context: { limit, windowMs: 60_000 },
  read: { limit, windowMs: 60_000 },
  uploads: { limit, windowMs: 60_000 },
});

async function outcome(work: Promise<void>): Promise<"ok" | "refused"> {
  try {
    await work;
    return "ok";
  } catch (err) {
    if (err instanceof AppError && err.status === 429) return "refused";
    throw err;
  }
}

Deno.test("[security] 50 concurrent widget sessions from one address all start", async () => {
  const app = await startTestApp();
  try {
    const answers = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          app.api("POST", "/api/v1/widget/sessions", { body: {}, headers: { origin: app.url } }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status), answers.map(() => 200));
    for (const a of answers) assert.equal(typeof a.body.visitorToken, "string");
  } finally {
    await app.shutdown();
  }
});

Deno.test("[security] over the widget limit, exactly the excess is refused", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => outcome(takeWidgetQuota(kv, "v1", "messages", LIMITS(20)))),
    );
    assert.equal(results.filter((r) => r === "ok").length, 20);
    assert.equal(results.filter((r) => r === "refused").length, 30);
  } finally {
    kv.close();
  }
});

Deno.test("[security] two instances count one visitor exactly", async () => {
  const dir = await Deno.makeTempDir();
  const a = await Deno.openKv(`${dir}/kv.sqlite`);
  const b = await Deno.openKv(`${dir}/kv.sqlite`);
  try {
    const results = await Promise.all(
      Array.from(
        { length: 60 },
        (_, i) => outcome(takeWidgetQuota(i % 2 ? a : b, "v2", "read", LIMITS(40))),
      ),
    );
    assert.equal(results.filter((r) => r === "ok").length, 40);
    assert.equal(results.filter((r) => r === "refused").length, 20);
  } finally {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
