import assert from "node:assert/strict";
import { chunkEvents, verificationChallenge } from "./whatsapp_webhook.ts";
import type { WhatsAppInbound } from "./whatsapp_payload.ts";
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";

const settings: WhatsAppSettings = {
  phoneNumberId: "1",
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

Deno.test("[whatsapp] a large body is split into bounded jobs, in order, nothing lost", () => {
  const messages: WhatsAppInbound[] = Array.from({ length: 40 }, (_, i) => ({
    id: `wamid.${i}`,
    phoneNumberId: "1",
    customer: { id: "1", waId: "1", userId: null, name: null, phone: null },
    sentAt: new Date(0).toISOString(),
    kind: "text",
    text: `${i} ` + "é".repeat(1000),
    data: {},
  }));
  const jobs = chunkEvents({ messages, statuses: [] });
  assert.ok(jobs.length > 1, "split");
  for (const job of jobs) {
    assert.ok(
      new TextEncoder().encode(JSON.stringify(job)).length < 60 * 1024,
      "under the queue limit",
    );
  }
  assert.deepEqual(jobs.flatMap((j) => j.messages.map((m) => m.id)), messages.map((m) => m.id));
  assert.deepEqual(chunkEvents({ messages: [], statuses: [] }), []);
});
