/**
 * Security: sign-in throttling holds under racing attempts. Each attempt is
 * reserved in KV before its password is hashed, so simultaneous guesses cannot
 * all slip under the limit; and an attacker cannot lock the real owner out for
 * long (limits per address and per email+address count first; the account-wide
 * lock is short, says when it lifts, and spares addresses the owner signed in from).
 */
import assert from "node:assert/strict";
import { signIn } from "../lib/auth/login.ts";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, KeyedGate, PAIR_LIMIT } from "../lib/auth/throttle.ts";
import { AppError } from "../lib/errors.ts";
import { createAgent } from "../lib/store/agents.ts";
import { startTestApp } from "./helpers.ts";

const OPTIONS = { iterations: 1000, sessionTtlMs: 60_000 };

Deno.test("[security] 50 simultaneous guesses at one email: at most the limit are checked", async () => {
  const app = await startTestApp();
  try {
    const target = await app.createStaff("agent");
    const attempt = (password: string) =>
      app.api("POST", "/api/v1/auth/login", { body: { email: target.agent.email, password } });
    const passwords = Array.from({ length: 50 }, (_, i) => `wrong-guess-${i}`);
    passwords.splice(30, 0, target.password); // the right one, deep in the burst
    const answers = await Promise.all(passwords.map(attempt));
    const checked = answers.filter((a) => a.status === 200 || a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    assert.ok(checked.length <= PAIR_LIMIT, `${checked.length} attempts were checked`);
    assert.equal(checked.length + refused.length, passwords.length);
    for (const r of refused) assert.ok(Number(r.headers.get("retry-after")) > 0);
    const right = await attempt(target.password);
    assert.equal(right.status, 429, "past the limit even the right password is not checked");
    assert.match(right.body.error.message, /minute|second/);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[security] 200 simultaneous attempts from one address: at most 30 are hashed", async () => {
  const app = await startTestApp();
  try {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        app.api("POST", "/api/v1/auth/login", {
          body: { email: `nobody-${i}@example.test`, password: "guess" },
        })),
    );
    const checked = answers.filter((a) => a.status === 401).length;
    assert.ok(checked <= ADDRESS_LIMIT, `${checked} attempts were hashed`);
    assert.ok(checked > 0);
    assert.equal(answers.filter((a) => a.status === 429).length, 200 - checked);
  } finally {
    await app.shutdown();
  }
});

Deno.test("[security] an attacker cannot lock the owner out for long", async (t) => {
  const kv = await Deno.openKv(":memory:");
  try {
    const password = "the-owners-password";
    const owner = await createAgent(kv, {
      name: "Owner",
      email: "owner@example.test",
      password,
      role: "agent",
    }, OPTIONS.iterations);
    const email = owner.email;
    const tryAs = async (address: string, pw: string) => {
      try {
        await signIn(kv, { email, password: pw, address }, OPTIONS);
        return { status: 200, message: "" };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const retry = (err.details as { retryAfterSeconds?: number } | undefined)
          ?.retryAfterSeconds;
        return { status: err.status, message: err.message, retry };
      }
    };

    await t.step("the owner signs in from home (a known address from now on)", async () => {
      assert.equal((await tryAs("10.0.0.1", password)).status, 200);
    });

    await t.step("guesses from one address lock that address only", async () => {
      const burst = await Promise.all(
        Array.from({ length: 50 }, (_, i) => tryAs("203.0.113.9", `guess-${i}`)),
      );
      assert.ok(burst.filter((r) => r.status === 401).length <= PAIR_LIMIT);
      assert.equal((await tryAs("203.0.113.9", password)).status, 429);
      assert.equal((await tryAs("198.51.100.7", password)).status, 200, "owner elsewhere: in");
    });

    await t.step("a spread-out attack locks the account briefly, and says until when", async () => {
      // Many addresses, a few guesses each: the account-wide limit counts them all.
      for (let a = 0; a < ACCOUNT_LIMIT; a++) {
        await tryAs(`192.0.2.${a}`, "wrong");
      }
      const locked = await tryAs("192.0.2.250", password);
      assert.equal(locked.status, 429, "a new address waits out the account lock");
      assert.ok(locked.retry !== undefined && locked.retry > 0 && locked.retry <= 5 * 60);
      assert.match(locked.message, /locked.*(minute|second)/i);
      assert.equal((await tryAs("10.0.0.1", password)).status, 200, "known address: in");
    });
  } finally {
    kv.close();
  }
});

Deno.test("[security] concurrent password hashing is bounded per key", async () => {
  const gate = new KeyedGate(2);
  let running = 0;
  let peak = 0;
  const work = () =>
    gate.run(["email:a", "ip:b"], async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    });
  await Promise.all(Array.from({ length: 20 }, work));
  assert.equal(peak, 2);
  assert.equal(gate.size, 0, "idle keys are forgotten");
});
