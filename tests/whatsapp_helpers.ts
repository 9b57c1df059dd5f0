/**
 * A Parley test server wired to a fake Graph API, with a signed-webhook
 * client. Everything is real HTTP on loopback with a fresh `:memory:` KV.
 *
 * @example
 * const wa = await startWhatsAppTestApp();
 * try {
 *   await wa.postWebhook(textBody({ waId: "16505551234" }, "hi"));
 * } finally { await wa.shutdown(); }
 */
import { signWhatsAppBody } from "../lib/channels/whatsapp_signature.ts";
import { startTestApp, type TestApp } from "./helpers.ts";
import { type FakeGraph, startFakeGraph } from "./fake_graph.ts";
import { PHONE_NUMBER_ID, WABA_ID } from "./whatsapp_fixtures.ts";

export const APP_SECRET = "test-app-secret-0123456789";
export const VERIFY_TOKEN = "test-verify-token";
export const ACCESS_TOKEN = "EAAG-test-access-token";

export interface WhatsAppTestApp {
  app: TestApp;
  graph: FakeGraph;
  /** POSTs a webhook body signed with the app secret (or the given signature; null: none). */
  postWebhook(
    body: unknown,
    options?: { signature?: string | null; raw?: string },
  ): Promise<{ status: number; body: unknown }>;
  shutdown(): Promise<void>;
}

export async function startWhatsAppTestApp(
  env: Record<string, string> = {},
): Promise<WhatsAppTestApp> {
  const graph = await startFakeGraph({
    token: ACCESS_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    businessAccountId: WABA_ID,
  });
  const app = await startTestApp({
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_BUSINESS_ACCOUNT_ID: WABA_ID,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_GRAPH_URL: graph.url,
    WHATSAPP_RETRY_BASE_MS: "5",
    ...env,
  });
  return {
    app,
    graph,
    async postWebhook(body, options = {}) {
      const raw = options.raw ?? JSON.stringify(body);
      const headers: Record<string, string> = { "content-type": "application/json" };
      const signature = options.signature === undefined
        ? await signWhatsAppBody(APP_SECRET, raw)
        : options.signature;
      if (signature !== null) headers["x-hub-signature-256"] = signature;
      const res = await fetch(`${app.url}/webhooks/whatsapp`, {
        method: "POST",
        headers,
        body: raw,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch { /* text */ }
      return { status: res.status, body: parsed };
    },
    async shutdown() {
      try {
        await app.shutdown();
      } finally {
        await graph.close();
      }
    },
  };
}

/**
 * Polls `probe` until it returns a value other than null/undefined/false.
 * The deadline is only a failsafe so a broken test fails with `what` instead
 * of hanging; nothing here measures speed.
 */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  deadlineMs = 15_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  while (true) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value as T;
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
