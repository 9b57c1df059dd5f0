import assert from "node:assert/strict";
import { graphError, startFakeGraph } from "../../tests/fake_graph.ts";
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";
import {
  checkGraphConnection,
  classifyGraphError,
  downloadWhatsAppMedia,
  getWhatsAppMedia,
  sendWhatsAppText,
} from "./whatsapp_graph.ts";

const settingsFor = (graphUrl: string, token = "test-token"): WhatsAppSettings => ({
  phoneNumberId: "106540352242922",
  businessAccountId: null,
  accessToken: token,
  appSecret: "s",
  verifyToken: "v",
  graphUrl,
  graphVersion: "v21.0",
  teamId: null,
  retryBaseMs: 1,
});

Deno.test("[whatsapp] Graph client against the fake Graph API over real HTTP", async (t) => {
  const graph = await startFakeGraph({ token: "test-token", phoneNumberId: "106540352242922" });
  const settings = settingsFor(graph.url);
  try {
    await t.step("a text send POSTs the Cloud API body with the bearer token", async () => {
      const result = await sendWhatsAppText(settings, { waId: "16505551234", userId: null }, "Hi!");
      assert.ok(result.ok);
      assert.equal(result.value.wamid, graph.wamids[0]);
      const sent = graph.sends()[0];
      assert.equal(sent.path, "/v21.0/106540352242922/messages");
      assert.equal(sent.authorization, "Bearer test-token");
      assert.deepEqual(sent.body, {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "16505551234",
        type: "text",
        text: { preview_url: false, body: "Hi!" },
      });
    });

    await t.step(
      "without a phone number the reply goes to the business-scoped user id",
      async () => {
        const result = await sendWhatsAppText(
          settings,
          { waId: null, userId: "US.1349120865" },
          "x",
        );
        assert.ok(result.ok);
        const body = graph.sends().at(-1)!.body as Record<string, unknown>;
        assert.equal(body.recipient, "US.1349120865");
        assert.equal(body.to, undefined);
      },
    );

    await t.step("a 500 is retryable; 131047 is permanent and closes the window", async () => {
      graph.scriptSend({ status: 500, body: graphError(131000, "Something went wrong") });
      const busy = await sendWhatsAppText(settings, { waId: "1", userId: null }, "x");
      assert.ok(!busy.ok && busy.failure.retry && busy.failure.status === 500);

      graph.scriptSend({
        status: 400,
        body: graphError(
          131047,
          "Re-engagement message",
          "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        ),
      });
      const closed = await sendWhatsAppText(settings, { waId: "1", userId: null }, "x");
      assert.ok(!closed.ok);
      assert.equal(closed.failure.retry, false);
      assert.equal(closed.failure.windowClosed, true);
      assert.equal(closed.failure.code, 131047);
      assert.match(closed.failure.reason, /more than 24 hours since the customer's last message/i);
    });

    await t.step("rate limits retry and honour Retry-After; a bad parameter does not", async () => {
      graph.scriptSend({
        status: 429,
        body: graphError(130429, "Rate limit hit"),
        headers: { "retry-after": "3" },
      });
      const limited = await sendWhatsAppText(settings, { waId: "1", userId: null }, "x");
      assert.ok(!limited.ok && limited.failure.retry);
      assert.equal(limited.failure.retryAfterMs, 3000);

      graph.scriptSend({ status: 400, body: graphError(131056, "Pair rate limit hit") });
      const pair = await sendWhatsAppText(settings, { waId: "1", userId: null }, "x");
      assert.ok(!pair.ok && pair.failure.retry, "131056 is retried even with a 400");

      graph.scriptSend({
        status: 400,
        body: graphError(
          100,
          "Invalid parameter",
          "Param text['body'] must be at most 4096 characters",
        ),
      });
      const invalid = await sendWhatsAppText(settings, { waId: "1", userId: null }, "x");
      assert.ok(!invalid.ok && !invalid.failure.retry);
      assert.match(invalid.failure.reason, /4096/);
    });

    await t.step("a wrong token is a permanent failure that says so", async () => {
      const result = await sendWhatsAppText(settingsFor(graph.url, "wrong"), {
        waId: "1",
        userId: null,
      }, "x");
      assert.ok(!result.ok && !result.failure.retry);
      assert.equal(result.failure.code, 190);
      assert.match(result.failure.reason, /access token/);
    });

    await t.step("media: look up the id, then download with the token", async () => {
      const bytes = new TextEncoder().encode("fake-jpeg-bytes");
      graph.media.set("1234567890", { bytes, mimeType: "image/jpeg" });
      const info = await getWhatsAppMedia(settings, "1234567890");
      assert.ok(info.ok);
      assert.equal(info.value.mimeType, "image/jpeg");
      const download = await downloadWhatsAppMedia(settings, info.value.url);
      assert.ok(download.ok);
      assert.deepEqual(new Uint8Array(await download.value.arrayBuffer()), bytes);
      const missing = await getWhatsAppMedia(settings, "nope");
      assert.ok(!missing.ok && !missing.failure.retry);
    });

    await t.step("connection check names the number, or says what is wrong", async () => {
      const ok = await checkGraphConnection(settings);
      assert.equal(ok.ok, true);
      assert.match(ok.message, /\+1 555-010-0199 \(Parley Support\)/);
      const bad = await checkGraphConnection(settingsFor(graph.url, "wrong"));
      assert.equal(bad.ok, false);
      assert.match(bad.message, /access token/);
      const unset = await checkGraphConnection({ ...settings, accessToken: null });
      assert.equal(unset.ok, false);
    });
  } finally {
    await graph.close();
  }

  await t.step("an unreachable Graph API is a retryable network failure", async () => {
    const result = await sendWhatsAppText(settings, { waId: "1", userId: null }, "x");
    assert.ok(!result.ok && result.failure.retry && result.failure.status === null);
  });
});

Deno.test("[whatsapp] error classification: 5xx, 429 and rate-limit codes retry; others do not", () => {
  for (
    const [status, code, retry] of [
      [503, null, true],
      [429, null, true],
      [400, 80007, true],
      [400, 130429, true],
      [400, 131056, true],
      [400, 131047, false],
      [400, 131026, false],
      [401, 190, false],
      [404, null, false],
    ] as const
  ) {
    const failure = classifyGraphError(status, code === null ? "not json" : graphError(code, "m"));
    assert.equal(failure.retry, retry, `${status}/${code}`);
  }
});
