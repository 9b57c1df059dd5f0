/** The group commit's size estimates (./commit_size.ts) never fall below what the store takes. */
import assert from "node:assert/strict";
import { serialize } from "node:v8";
import { keySize, valueSize } from "./commit_size.ts";

Deno.test("[engine] a key's size counts its text in UTF-8 bytes (accents, CJK, emoji, lone surrogates)", () => {
  const utf8 = new TextEncoder();
  for (
    const text of ["abc", "café", "日本語", "😀x", "x😀\ud83d", "\udc00\ud83d", "\u07ff\u0800"]
  ) {
    // 4 for the key, and per string part a tag, its bytes and a terminator (rounded up by 2).
    assert.equal(keySize(["search", text]), 4 + (6 + 3) + utf8.encode(text).length + 3, text);
  }
  assert.equal(keySize(["messages", "c", 12]), 4 + (8 + 3) + (1 + 3) + 10);
});

Deno.test("[engine] a value's estimated size is at least what V8 serializes, and not far above", () => {
  const message = {
    id: "01JD3K4X0Y7QF2M8N5P6R9S0TV",
    conversationId: "01JD3K4X0Y7QF2M8N5P6R9S0TW",
    seq: 412,
    type: "message",
    author: { type: "customer", id: "c1", name: "Zoë Ünal" },
    text: "Olá! 😀 Preciso de ajuda com o pedido nº 1234 — chegou danificado.",
    attachments: [{ id: "a1", filename: "foto.jpg", size: 123_456, contentType: "image/jpeg" }],
    createdAt: new Date().toISOString(),
    delivery: null,
    clientId: "v-17",
  };
  const samples: unknown[] = [
    message,
    { ...message, text: "日本語のテキスト".repeat(200) },
    { nested: [[1, 2, [3, { a: "b" }]], new Map([["k", 1]]), new Set(["x"])] },
    { when: new Date(), bytes: new Uint8Array(300), big: 12345678901234567890n, none: null },
    Array.from({ length: 50 }, (_, i) => ({ i, name: `agent ${i}`, on: i % 2 === 0 })),
    "",
    0,
    -1.5,
  ];
  for (const value of samples) {
    const stored = serialize(value).length;
    const estimated = valueSize(value);
    assert.ok(
      estimated >= stored,
      `${estimated} < ${stored} for ${
        JSON.stringify(value, (_k, v) => typeof v === "bigint" ? String(v) : v).slice(0, 60)
      }`,
    );
    assert.ok(estimated <= 3 * stored + 64, `${estimated} is far above ${stored}`);
  }
});
