/**
 * The OpenAPI operations of one conversation's work: the lists, a chat and its
 * messages, search, history, files, hand-offs, and what an agent does to a chat
 * (pick up, transfer, return, close, read). Part of the staff API (./staff.ts),
 * in the document's order.
 */
import { type ApiOperation, staff } from "../../lib/openapi/operations.ts";
import {
  closeBody,
  historyQuery,
  listQuery,
  messageBody,
  messagesQuery,
  readBody,
  returnBody,
  transferBody,
} from "../conversations_api.ts";
import { handoffSchema } from "../../lib/store/engine/mod.ts";
import { searchQuery } from "../search_api.ts";

const tag = "Conversations";
export const conv = "/api/v1/conversations/:id";
const notYours = "Not yours to see (an agent and another's Active chat).";

export const conversationOperations: ApiOperation[] = [
  {
    method: "GET",
    path: "/api/v1/conversations",
    tag,
    summary: "Conversations the caller may see, newest activity first",
    access: staff("conversations:read"),
    query: listQuery,
    produces: "json",
    responses: { 200: "`{items, cursor}`; `cursor: null` at the end.", 400: "A bad cursor." },
  },
  {
    method: "GET",
    path: conv,
    tag,
    summary: "One conversation with its log",
    access: staff("conversations:read"),
    query: messagesQuery,
    produces: "json",
    responses: {
      200: "The conversation's fields with `messages` (seq order) and `hasMore`.",
      403: notYours,
      404: "Unknown conversation.",
    },
  },
  {
    method: "GET",
    path: `${conv}/messages`,
    tag,
    summary: "The log after a seq",
    access: staff("conversations:read"),
    query: messagesQuery,
    produces: "json",
    responses: { 200: "`{items}`.", 403: notYours, 404: "Unknown conversation." },
  },
  {
    method: "GET",
    path: "/api/v1/search",
    tag,
    summary: "Search conversations: messages, notes, contact, tags, wrap-up notes",
    description: "Every word must occur in the conversation; the last one matches as a prefix " +
      "unless the query ends with a space. Newest conversations first. Supervisors, admins and " +
      "API keys search every conversation; agents the chats they hold or held (and may open now).",
    access: staff("conversations:read"),
    query: searchQuery,
    produces: "json",
    responses: {
      200: "`{items: [{conversation, contact, match: {field, seq, text, highlights}}], " +
        "nextCursor, partial}`.",
      400: "`query_empty` (no word of 2+ letters or digits), `query_too_long` (over 200 " +
        "characters or 8 words), `invalid_cursor`.",
    },
  },
  {
    method: "GET",
    path: `${conv}/history`,
    tag,
    summary: "The contact's other conversations, across channels",
    access: staff("conversations:read"),
    query: historyQuery,
    produces: "json",
    responses: { 200: "`{contact, items: [{conversation, messages, truncated}], cursor}`." },
  },
  {
    method: "POST",
    path: `${conv}/messages`,
    tag,
    summary: "Reply, or write an internal note",
    description: "The same `clientId` again returns the stored message and stores nothing.",
    access: staff("messages:write"),
    body: messageBody,
    examples: {
      reply: { text: "Your parcel left our warehouse today.", clientId: "crm-4711" },
      note: { text: "Customer is a VIP.", clientId: "crm-4712", internal: true },
      photo: { text: "", clientId: "crm-4713", attachments: ["01J9ZQ3K2M8X7V6T5R4P3N2B1A"] },
    },
    produces: "json",
    responses: {
      200: "`{message, duplicate: true}`: this clientId was sent before.",
      201: "`{message, duplicate: false}` with its `seq`.",
      400: "`attachment_unknown`: an attachment id is not this sender's upload for this chat " +
        "(or it expired); `too_many_attachments` (over 10).",
      403: "Not the assignee or a supervisor (`not_your_chat`), or the key lacks the scope.",
      409: "`conversation_closed`; `attachment_used` (already sent in another message).",
    },
  },
  {
    method: "POST",
    path: `${conv}/attachments`,
    tag,
    summary: "Upload a file to send in this chat",
    description: "The raw file is the request body (not multipart); `Content-Type` its type, " +
      "`?filename=` its name. Allowed: PNG, JPEG, GIF, WebP, PDF, text, CSV, Word, Excel, " +
      "PowerPoint, OpenDocument; at most 10 MB. The type is decided from the bytes. Send the " +
      "returned id in a message's `attachments`; an upload no message takes within an hour is " +
      "deleted.",
    access: staff("messages:write"),
    produces: "json",
    responses: {
      201: "`{attachment: {id, filename, contentType, size}}`.",
      400: "`empty_file`.",
      403: "Not the assignee or a supervisor (`not_your_chat`).",
      404: "Unknown conversation.",
      409: "`conversation_closed`.",
      413: "`too_large`: over 10 MB (a `Content-Length` over it is refused before reading).",
      415: "`unsupported_media_type` (a type not allowed) or `type_mismatch` (the bytes are " +
        "another type than declared).",
    },
  },
  {
    method: "GET",
    path: "/api/v1/attachments/:id",
    tag,
    summary: "Download an attachment",
    description: "Images are `inline`, documents `attachment`, with the name as " +
      "`filename*=UTF-8''…`; `X-Content-Type-Options: nosniff`, a sandboxing CSP; single " +
      "`Range: bytes=a-b` requests answer 206.",
    access: staff("conversations:read"),
    produces: "binary",
    responses: {
      200: "The file.",
      206: "The requested range.",
      403: notYours,
      404: "Unknown attachment (or another's unsent upload).",
      416: "The range is outside the file.",
    },
  },
  {
    method: "POST",
    path: "/api/v1/handoffs",
    tag: "Integrations",
    summary: "Bot hand-off: open a conversation for humans with the bot's transcript",
    description: "Pending in the team's queue (or everyone's); bot lines are marked " +
      '`author.type: "bot"`; the summary is an internal note. The same `handoffId` again ' +
      "returns the first result.",
    access: staff("messages:write", "supervisor", "admin"),
    body: handoffSchema,
    examples: {
      web: {
        handoffId: "bot-session-77",
        channel: "webchat",
        contact: { webVisitorId: "v_8f2c1a", name: "Maria Silva" },
        teamId: "01J8Z40A1B2C3D4E5F6G7H8J9K",
        transcript: [
          { from: "customer", text: "I was charged twice", at: "2026-01-01T10:00:00Z" },
          { from: "bot", text: "Which order?", at: "2026-01-01T10:00:05Z" },
          { from: "customer", text: "A-42" },
        ],
        context: { orderId: "A-42", intent: "refund" },
        summary: "Double charge on A-42; wants a refund.",
      },
      whatsapp: {
        handoffId: "wa-3391",
        channel: "whatsapp",
        contact: { whatsappId: "5511999990000", name: "João" },
        transcript: [{ from: "customer", text: "Oi" }, { from: "bot", text: "Olá! Um momento." }],
      },
    },
    produces: "json",
    responses: {
      200: "`{contact, conversation, messages: [], duplicate: true}`: handed over before.",
      201: "`{contact, conversation, messages, duplicate: false}`.",
      403: "The key lacks `messages:write`.",
      404: "Unknown team.",
      409: "`conversation_open`: humans already have a chat with this contact on this channel " +
        "(`details.conversationId`).",
      413: "The transcript is over 96 KiB.",
    },
  },
  {
    method: "POST",
    path: `${conv}/pickup`,
    tag,
    summary: "Take a Pending conversation",
    access: staff(),
    produces: "json",
    responses: {
      200: "`{conversation}`.",
      403: "`other_team`.",
      409: "`not_pending`, `at_capacity` or `agent_offline`.",
    },
  },
  {
    method: "POST",
    path: `${conv}/transfer`,
    tag,
    summary: "Transfer to an agent or a team's queue",
    access: staff(),
    body: transferBody,
    examples: {
      toAgent: { toAgentId: "01J8Z3ZK9X5Q2V7M4N6P8R0S2T", note: "Billing question" },
      toTeam: { toTeamId: "01J8Z40A1B2C3D4E5F6G7H8J9K" },
    },
    produces: "json",
    responses: {
      200: "`{conversation}`.",
      403: "`not_your_chat`.",
      404: "Unknown target.",
      409: "The rules forbid it now; the code says why.",
    },
  },
  {
    method: "POST",
    path: `${conv}/return`,
    tag,
    summary: "Return to queue",
    description:
      "The holder (or a supervisor) hands an Active chat back to the front of its own queue, with an optional note; the next automatic assignment skips the agent who held it.",
    access: staff(),
    body: returnBody,
    examples: { language: { note: "Customer writes in German; someone who speaks it, please." } },
    produces: "json",
    responses: {
      200: "`{conversation}`, Pending (or already assigned to someone else).",
      403: "`not_your_chat`.",
      409: "`conversation_closed`, `not_active` (it already waits in the queue).",
    },
  },
  {
    method: "POST",
    path: `${conv}/close`,
    tag,
    summary: "Close with wrap-up notes",
    access: staff(),
    body: closeBody,
    examples: { solved: { notes: "Refund issued.", tags: ["refund"] } },
    produces: "json",
    responses: {
      200: "`{conversation}`, closed.",
      400: "`tag_not_allowed` (free tags are off; `details.rejected` names them), `invalid`.",
      409: "`conversation_closed`.",
    },
  },
  {
    method: "POST",
    path: `${conv}/read`,
    tag,
    summary: "Move the caller's read marker",
    access: staff(),
    body: readBody,
    examples: { upTo: { seq: 12 } },
    produces: "json",
    responses: { 200: "`{seq}`: the marker (never moves back)." },
  },
];
