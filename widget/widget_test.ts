/**
 * The widget's pure parts, and the contract between the server's answers and
 * the widget's schemas (schemas.ts) (a drift here would silently break the
 * widget, which drops answers it does not recognise).
 */
import assert from "node:assert/strict";
import { backoff } from "./backoff.ts";
import { fill, words } from "./i18n.ts";
import { wordsFor } from "./words.ts";
import { ContextValue, is, Listing, Sent, Session, UserInput } from "./schemas.ts";
import { createContextSender } from "./context.ts";
import { queueText } from "./more.ts";
import { ApiError } from "./api.ts";
import { startTestApp } from "../tests/helpers.ts";
import { WIDGET_STUB, widgetEmbedSnippet } from "../lib/channels/widget_snippet.ts";

Deno.test("[widget] backoff grows exponentially with jitter and is capped", () => {
  for (let n = 0; n < 12; n++) {
    const base = Math.min(30_000, 500 * 2 ** n);
    for (let i = 0; i < 50; i++) {
      const d = backoff(n);
      assert.ok(d >= base / 2 && d <= base, `attempt ${n}: ${d} outside [${base / 2}, ${base}]`);
    }
  }
  const spread = new Set(Array.from({ length: 20 }, () => Math.round(backoff(3))));
  assert.ok(spread.size > 1, "jitter: retries do not all fire at the same moment");
});

Deno.test("[widget] words: languages by prefix, English for gaps and unknown languages", () => {
  const of = (lang: string | undefined) => words(lang, wordsFor(lang));
  assert.equal(of("de-AT").send, "Senden");
  assert.equal(of("es").send, "Enviar");
  assert.equal(of("pt-BR").ph, "Escreva uma mensagem…");
  assert.equal(fill(of("pt").with, "Ana"), "Você está conversando com Ana.");
  assert.equal(of("fr").send, "Send");
  assert.equal(of(undefined).send, "Send");
  assert.equal(fill(of("en").with, "Ann"), "You are chatting with Ann.");
  // Every language has every word (a gap would show English in the middle of Portuguese).
  for (const lang of ["de", "es", "pt"]) {
    assert.deepEqual(
      Object.keys(wordsFor(lang)).sort(),
      Object.keys(words("en")).filter((k) => k !== "lang").sort(),
    );
  }
});

Deno.test("[widget] queue line: the place, then the estimated wait in words; nothing when not queued", () => {
  assert.equal(
    queueText({ queuePosition: 3, estimatedWaitSeconds: null }),
    "You are number 3 in the queue.",
  );
  assert.equal(
    queueText({ queuePosition: 1, estimatedWaitSeconds: 20 }),
    "You are number 1 in the queue. Estimated wait: less than a minute.",
  );
  assert.equal(
    queueText({ queuePosition: 2, estimatedWaitSeconds: 61 }),
    "You are number 2 in the queue. Estimated wait: about 2 min.",
  );
  assert.equal(
    queueText({ queuePosition: 9, estimatedWaitSeconds: 7200 }),
    "You are number 9 in the queue. Estimated wait: more than an hour.",
  );
  assert.equal(
    queueText({ queuePosition: 2, estimatedWaitSeconds: 300 }, "de"),
    "Sie sind Nummer 2 in der Warteschlange. Geschätzte Wartezeit: etwa 5 Minuten.",
  );
  assert.equal(queueText({ queuePosition: null, estimatedWaitSeconds: null }), "");
  assert.equal(queueText({}), "");
  assert.equal(
    queueText({ queuePosition: 2, estimatedWaitSeconds: 300 }, "pt-BR"),
    "Você é o número 2 na fila. Tempo de espera estimado: cerca de 5 min.",
  );
});

Deno.test("[widget] browser-side checks of addContext values and setUser input", () => {
  for (const good of ["x", 1, true, null]) assert.ok(is(good, ContextValue));
  for (const bad of [{ a: 1 }, [1], () => 1, NaN, Infinity, undefined]) {
    assert.equal(is(bad, ContextValue), false, String(bad));
  }
  assert.ok(is({ name: "Vera", email: "v@example.test" }, UserInput));
  assert.equal(is({ name: 5 }, UserInput), false);
});

Deno.test("[widget] a broken or hostile answer is refused; more keys than listed are fine", () => {
  const message = {
    id: "m1",
    seq: 1,
    type: "message",
    kind: "text",
    author: { type: "agent", name: "Ana" },
    text: "Hi",
    createdAt: "2026-01-01T00:00:00.000Z",
  };
  const conversation = { id: "c1", status: "active", agentName: "Ana" };
  assert.ok(is({ message, conversation }, Sent));
  assert.ok(is({ message: { ...message, attachments: [], extra: 1 }, conversation }, Sent));
  assert.ok(is({ conversation: null, messages: [message] }, Listing));
  for (
    const bad of [
      null,
      "x",
      { conversation },
      { message: { ...message, seq: NaN }, conversation },
      { message: { ...message, seq: "1" }, conversation },
      { message: { ...message, type: "note" }, conversation },
      { message: { ...message, author: null }, conversation },
      { message: { ...message, author: { type: "agent", name: 5 } }, conversation },
      { message: { ...message, clientId: 7 }, conversation },
      { message, conversation: { ...conversation, status: "gone" } },
      { message, conversation: { ...conversation, agentName: undefined } },
    ]
  ) assert.equal(is(bad, Sent), false, JSON.stringify(bad));
  assert.equal(is({ conversation: null, messages: [message, { id: 1 }] }, Listing), false);
  assert.equal(is({ conversation: null, messages: {} }, Listing), false);
  assert.equal(
    is({ visitorToken: "t", conversationId: null, site: { name: "S", colour: "#000" } }, Session),
    false,
  );
});

Deno.test("[widget] addContext: one bad value never costs the others; each bad key is warned about", async () => {
  const sent: Record<string, unknown>[] = [];
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    const sender = createContextSender(async (body) => {
      await Promise.resolve();
      sent.push({ ...body.context });
      // The server refuses a key it finds too long (as the engine's bounds do), naming it.
      if ("tooLong" in body.context) {
        throw new ApiError(400, "context_value_too_large", "Context too large", {
          rejected: { tooLong: 'Context "tooLong" is over 1024 bytes.' },
        });
      }
      return {};
    }, () => true);
    sender.add({ plan: "Pro", nested: { a: 1 }, tooLong: "x".repeat(2000), cart: 2 });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(sent.at(-1), { plan: "Pro", cart: 2 }, "the valid keys are stored");
    assert.ok(warnings.some((w) => w.includes("nested")), warnings.join("\n"));
    assert.ok(warnings.some((w) => w.includes('"tooLong"')), warnings.join("\n"));
  } finally {
    console.warn = warn;
  }
});

Deno.test("[widget] the server's visitor API answers match the widget's schemas", async () => {
  const app = await startTestApp();
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(app.url + path, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return await res.json();
    };
    const session = await post("/api/v1/widget/sessions", {});
    assert.ok(is(session, Session), JSON.stringify(session));
    const sent = await post(
      "/api/v1/widget/messages",
      { text: "Hi", clientId: "c1" },
      session.visitorToken,
    );
    assert.ok(is(sent, Sent), JSON.stringify(sent));
    const staff = await app.createStaff("supervisor", { name: "Sam" });
    // At work (an Offline supervisor picks up nothing: it would go straight back to the queue).
    await app.api("PUT", "/api/v1/me/status", { as: staff, body: { status: "busy" } });
    await app.api("POST", `/api/v1/conversations/${sent.conversation.id}/pickup`, { as: staff });
    await app.api("POST", `/api/v1/conversations/${sent.conversation.id}/messages`, {
      as: staff,
      body: { text: "Hello!", clientId: "r1" },
    });
    const list = await (await fetch(app.url + "/api/v1/widget/messages", {
      headers: { authorization: `Bearer ${session.visitorToken}` },
    })).json();
    assert.ok(is(list, Listing), JSON.stringify(list));
    assert.deepEqual(
      list.messages.map((m: { type: string; kind: string }) => `${m.type}:${m.kind}`),
      ["message:text", "event:assigned", "message:text"],
    );
  } finally {
    await app.shutdown();
  }
});

Deno.test("[widget] the README shows the very snippet the admin console gives (one source)", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assert.ok(
    readme.includes(widgetEmbedSnippet("https://PARLEY_HOST", "SITE_KEY")),
    'README\'s embed snippet = widgetEmbedSnippet("https://PARLEY_HOST", "SITE_KEY")',
  );
});

Deno.test("[widget] the embed snippet carries the stub and a clean site key", () => {
  const snippet = widgetEmbedSnippet("https://parley.example", 'site_ab"><script>x');
  assert.ok(snippet.split("\n").map((l) => l.trim()).join("").includes(WIDGET_STUB));
  assert.ok(
    snippet.includes('src="https://parley.example/widget.js" data-site-key="site_abscriptx"'),
  );
  assert.ok(!snippet.includes('"><script>x'), "a hostile key cannot break out of the attribute");
});
