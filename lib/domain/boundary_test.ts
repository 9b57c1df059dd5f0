import assert from "node:assert/strict";
import { isOwnHost, maxChats, messageInput, ownOrigin } from "./boundary.ts";

const req = (url: string, headers: Record<string, string> = {}) => ({
  url,
  headers: new Headers(headers),
});

Deno.test("[boundary] own origin: the request's, or what the proxy says it is", () => {
  assert.equal(ownOrigin(req("http://127.0.0.1:8000/x")), "http://127.0.0.1:8000");
  assert.equal(ownOrigin(req("https://parley.example/x")), "https://parley.example");
  assert.equal(
    ownOrigin(req("http://10.0.0.5:8000/", { host: "parley.example" })),
    "http://parley.example",
  );
  assert.equal(
    ownOrigin(req("http://10.0.0.5:8000/", {
      host: "10.0.0.5:8000",
      "x-forwarded-host": "chat.example",
      "x-forwarded-proto": "https",
    })),
    "https://chat.example",
  );
});

Deno.test("[boundary] own host: scheme aside, garbage is never ours", () => {
  assert.equal(isOwnHost("https://parley.example", "http://parley.example"), true);
  assert.equal(isOwnHost("http://PARLEY.example:80", "http://parley.example"), true);
  assert.equal(isOwnHost("https://evil.example", "https://parley.example"), false);
  assert.equal(isOwnHost("null", "https://parley.example"), false);
  assert.equal(isOwnHost("", "https://parley.example"), false);
});

Deno.test("[boundary] a message: trimmed text 1..4096, clientId 1..200", () => {
  assert.deepEqual(messageInput.parse({ text: "  hi ", clientId: "c" }), {
    text: "hi",
    clientId: "c",
  });
  for (
    const bad of [
      { text: " ", clientId: "c" },
      { text: "x".repeat(4097), clientId: "c" },
      { text: "x", clientId: "" },
      { text: "x", clientId: "c".repeat(201) },
      { text: "x" },
    ]
  ) assert.equal(messageInput.safeParse(bad).success, false, JSON.stringify(bad).slice(0, 40));
  assert.equal(
    messageInput.safeParse({ text: "x".repeat(4096), clientId: "c".repeat(200) }).success,
    true,
  );
});

Deno.test("[boundary] max chats: a whole number 1..100", () => {
  for (const ok of [1, 5, 100]) assert.equal(maxChats.safeParse(ok).success, true);
  for (const bad of [0, 101, 2.5, "5", null]) assert.equal(maxChats.safeParse(bad).success, false);
});
