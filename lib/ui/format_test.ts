import assert from "node:assert/strict";
import {
  browserName,
  channelLabel,
  clockLabel,
  countdownLabel,
  customFields,
  deliveryLabel,
  loadLabel,
  nextField,
  previewText,
  titleWithUnread,
  waitingLabel,
} from "./format.ts";
import { toUiConversation, toUiMessage, toUiSummary } from "./model.ts";
import { transferOption } from "./transfer_view.ts";
import type { UiAgent } from "./model.ts";
import type { Contact, Message } from "../domain/engine_types.ts";
import type { ConversationSummary } from "../store/engine/mod.ts";

const NOW = Date.parse("2026-11-26T12:00:00Z");

Deno.test("[workspace] waiting times read like a person would say them", () => {
  assert.equal(waitingLabel("2026-11-26T11:59:30Z", NOW), "just now");
  assert.equal(waitingLabel("2026-11-26T11:56:00Z", NOW), "4 min");
  assert.equal(waitingLabel("2026-11-26T09:55:00Z", NOW), "2 h 5 min");
  assert.equal(waitingLabel("2026-11-26T10:00:00Z", NOW), "2 h");
  assert.equal(waitingLabel("2026-11-23T12:00:00Z", NOW), "3 d");
  assert.equal(waitingLabel(null, NOW), "");
  assert.equal(waitingLabel("not a date", NOW), "");
});

Deno.test("[workspace] tab title carries the unread count", () => {
  assert.equal(titleWithUnread(0), "Parley");
  assert.equal(titleWithUnread(3), "(3) Parley");
  assert.equal(titleWithUnread(250), "(99+) Parley");
});

Deno.test("[workspace] labels: delivery, load, channel, preview, browser", () => {
  assert.equal(deliveryLabel("read"), "Read");
  assert.equal(deliveryLabel("bogus"), "");
  assert.equal(loadLabel(2, 4), "2/4");
  assert.equal(channelLabel("whatsapp"), "WhatsApp");
  assert.equal(channelLabel("webchat"), "WebChat");
  assert.equal(previewText("a\n\n  b"), "a b");
  assert.equal(previewText("x".repeat(100), 10), "xxxxxxxxx…");
  // An emoji across the cut is left out whole, never split into a lone surrogate ("�").
  assert.equal(previewText("12345678😀😀", 10), "12345678…");
  assert.equal(previewText("1234567😀😀", 10), "1234567😀…");
  assert.equal(
    browserName(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    ),
    "Chrome 131",
  );
});

Deno.test("[workspace] Tab walks through the custom fields left in a quick response", () => {
  const text = "Order {{field:Order number}} ships {{ field:Date }}.";
  const fields = customFields(text);
  assert.deepEqual(fields.map((f) => f.name), ["Order number", "Date"]);
  assert.equal(text.slice(fields[0].start, fields[0].end), "{{field:Order number}}");
  assert.equal(nextField(text, 0)?.name, "Order number");
  assert.equal(nextField(text, fields[0].end)?.name, "Date");
  assert.equal(nextField(text, text.length)?.name, "Order number", "wraps around");
  assert.equal(nextField("no fields", 0), null);
});

/** Records as the staff API sends them, with what a test does not care about filled in. */
const AT = "2026-11-26T11:00:00Z";
const conversation = (over: Partial<ConversationSummary>): ConversationSummary => ({
  id: "c1",
  channel: "webchat",
  contactId: "k1",
  status: "active",
  assigneeId: null,
  teamId: null,
  context: {},
  wrapUp: null,
  createdAt: AT,
  assignedAt: null,
  firstAgentReplyAt: null,
  assigneeRepliedAt: null,
  closedAt: null,
  lastActivityAt: AT,
  lastSeq: 0,
  customerCount: 0,
  lastMessage: null,
  queueRank: null,
  skipAgentId: null,
  openQuestionSeq: null,
  contact: null,
  unread: 0,
  ...over,
});
const contact = (over: Partial<Contact>): Contact => ({
  id: "k1",
  name: null,
  email: null,
  phone: null,
  webVisitorId: null,
  whatsappId: null,
  createdAt: AT,
  updatedAt: AT,
  ...over,
});
const message = (over: Partial<Message>): Message => ({
  id: "m0",
  conversationId: "c1",
  seq: 1,
  type: "message",
  kind: "text",
  author: { type: "customer" },
  text: "",
  data: null,
  visibility: "public",
  toSupervisor: false,
  clientId: null,
  createdAt: AT,
  delivery: null,
  customerCount: 0,
  ...over,
});

Deno.test("[workspace] engine records map to rows and log entries", () => {
  const row = toUiSummary(conversation({
    id: "c1",
    channel: "whatsapp",
    status: "active",
    contactId: "k1",
    contact: contact({ name: "Ana" }),
    assigneeId: "a1",
    lastActivityAt: "2026-11-26T11:50:00Z",
    lastMessage: { seq: 3, authorType: "customer", text: "hello?", at: "2026-11-26T11:50:00Z" },
    openQuestionSeq: 2,
    unread: 2,
  }));
  assert.equal(row.contactName, "Ana");
  assert.equal(row.preview, "hello?");
  assert.equal(row.waitingSince, "2026-11-26T11:50:00Z", "an unanswered customer waits");
  assert.equal(row.question, true);
  const note = toUiMessage(message({
    id: "m1",
    seq: 4,
    type: "note",
    author: { type: "agent", id: "a1", name: "Bo" },
    text: "psst",
    toSupervisor: true,
    createdAt: "2026-11-26T11:51:00Z",
    delivery: null,
  }));
  assert.equal(note.internal, true);
  assert.equal(note.toSupervisor, true);
  const failed = toUiMessage(message({
    id: "m2",
    seq: 5,
    type: "message",
    author: { type: "agent", id: "a1" },
    text: "hi",
    createdAt: "2026-11-26T11:52:00Z",
    delivery: {
      status: "failed",
      at: "2026-11-26T11:52:01Z",
      error: { code: "131047", reason: "window closed" },
    },
  }));
  assert.equal(failed.delivery, "failed");
  assert.equal(failed.failReason, "window closed");
  assert.equal(
    toUiMessage(message({ seq: 1, type: "event", author: { type: "system" } })).author,
    "system",
  );
});

Deno.test("[workspace] transfer bar: agents see forbidden targets disabled, supervisors a warning", () => {
  const target = (over: Partial<UiAgent>): UiAgent => ({
    id: "t",
    name: "T",
    role: "agent",
    status: "online",
    activeChats: 1,
    maxChats: 4,
    transferredChats: 0,
    ...over,
  });
  const agent = { id: "me", role: "agent" as const };
  const sup = { id: "boss", role: "supervisor" as const };
  const on = { requeueOnOffline: true };
  assert.equal(transferOption(agent, target({}), "me", on).blocked, false);
  const busy = transferOption(agent, target({ status: "busy" }), "me", on);
  assert.equal(busy.blocked, true);
  assert.match(busy.reason, /busy/i);
  assert.equal(transferOption(agent, target({ activeChats: 4 }), "me", on).blocked, true);
  assert.equal(
    transferOption(agent, target({ role: "supervisor", status: "busy" }), "me", on).blocked,
    false,
  );
  // An Offline supervisor or admin cannot take the chat (issue 16): disabled, with why.
  const offlineBoss = transferOption(agent, target({ role: "admin", status: "offline" }), "me", on);
  assert.equal(offlineBoss.blocked, true);
  assert.match(offlineBoss.reason, /Offline and cannot take the chat/);
  assert.equal(transferOption(sup, target({ status: "offline" }), "me", on).blocked, true);
  const off = { requeueOnOffline: false };
  const kept = transferOption(sup, target({ status: "offline" }), "me", off);
  assert.equal(kept.blocked, false, "Offline holders keep chats when requeueOnOffline is off");
  assert.match(kept.reason, /Offline/);
  assert.equal(
    transferOption(agent, target({ role: "admin", status: "offline" }), "me", off).blocked,
    true,
  );
  const warned = transferOption(sup, target({ status: "busy", activeChats: 4 }), "me", on);
  assert.equal(warned.blocked, false);
  assert.match(warned.reason, /Busy, at capacity \(4\/4\)/);
});

Deno.test("[workspace] context: the site's keys as text, the visitor's page, browser, language apart", () => {
  const conv = toUiConversation(
    conversation({
      id: "c1",
      status: "active",
      context: {
        plan: "Gold",
        seats: 12,
        pageUrl: "https://shop.example/checkout",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        lang: "pt-BR",
      },
    }),
    [],
  );
  assert.deepEqual(conv.context, [["plan", "Gold"], ["seats", "12"]]);
  assert.equal(conv.pageUrl, "https://shop.example/checkout");
  assert.equal(browserName(conv.userAgent), "Firefox 133");
  assert.equal(conv.language, "pt-BR");
});

Deno.test("[workspace] clock times: UTC as the server renders, local once hydrated", () => {
  const at = "2026-11-26T09:05:00Z";
  assert.equal(clockLabel(at, NOW), "09:05");
  assert.equal(clockLabel("2026-11-03T23:59:00Z", NOW), "3 Nov 23:59");
  assert.equal(clockLabel("nonsense", NOW), "");
  const d = new Date(at);
  const local = `${String(d.getHours()).padStart(2, "0")}:${
    String(d.getMinutes()).padStart(2, "0")
  }`;
  assert.match(clockLabel(at, NOW, true), new RegExp(`${local}$`));
});

Deno.test("[format] countdownLabel: minutes and seconds left, hours when long, 0:00 once past", () => {
  const at = Date.parse("2026-12-01T12:00:00Z");
  assert.equal(countdownLabel("2026-12-01T12:04:32Z", at), "4:32");
  assert.equal(countdownLabel("2026-12-01T12:00:00.400Z", at), "0:01");
  assert.equal(countdownLabel("2026-12-01T13:05:00Z", at), "1:05:00");
  assert.equal(countdownLabel("2026-12-01T11:59:00Z", at), "0:00");
});
