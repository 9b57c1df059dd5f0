import assert from "node:assert/strict";
import { chunkStatuses, verificationChallenge } from "./whatsapp_webhook.ts";
import type { WhatsAppStatus } from "./whatsapp_payload.ts";
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";

const settings: WhatsAppSettings = {
  phoneNumberId: "1",
  businessAccountId: null,
  accessToken: "t",
  appSecret: "s",
  verifyToken: "the-token",
  graphUrl: "http://127.0.0.1:9",
  graphVersion: "v21.0",
  teamId: null,
  retryBaseMs: 1,
};

Deno.test("[whatsapp] handshake: only subscribe with the exact verify token echoes the challenge", () => {
  const q = (mode?: string, token?: string, challenge?: string) => ({
    "hub.mode": mode,
    "hub.verify_token": token,
    "hub.challenge": challenge,
  });
  assert.equal(verificationChallenge(settings, q("subscribe", "the-token", "123")), "123");
  assert.equal(verificationChallenge(settings, q("subscribe", "the-token-", "123")), null);
  assert.equal(verificationChallenge(settings, q("subscribe", "the-toke", "123")), null);
  assert.equal(verificationChallenge(settings, q("subscribe", "", "123")), null);
  assert.equal(verificationChallenge(settings, q("other", "the-token", "123")), null);
  assert.equal(verificationChallenge(settings, q("subscribe", "the-token")), null);
  assert.equal(verificationChallenge(settings, q("subscribe", "the-token", "x".repeat(300))), null);
  assert.equal(
    verificationChallenge({ ...settings, verifyToken: null }, q("subscribe", "", "1")),
    null,
    "no verify token configured: never verified",
  );
});

Deno.test("[whatsapp] many statuses are split into bounded jobs, in order, nothing lost", () => {
  const statuses: WhatsAppStatus[] = Array.from({ length: 400 }, (_, i) => ({
    wamid: `wamid.${i}` + "é".repeat(100),
    status: "delivered",
    at: new Date(0).toISOString(),
    recipientId: "16505551234",
    error: { code: 131000, title: "Something went wrong ".repeat(5), details: null },
  }));
  const jobs = chunkStatuses(statuses);
  assert.ok(jobs.length > 1, "split");
  for (const job of jobs) {
    assert.ok(
      new TextEncoder().encode(JSON.stringify(job)).length < 60 * 1024,
      "under the queue limit",
    );
  }
  assert.deepEqual(
    jobs.flatMap((j) => j.statuses.map((s) => s.wamid)),
    statuses.map((s) => s.wamid),
  );
  assert.deepEqual(chunkStatuses([]), []);
});
