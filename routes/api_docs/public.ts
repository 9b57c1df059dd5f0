/**
 * The OpenAPI operations anyone, a web visitor or Meta may call: the service check, the widget
 * script and API, the visitor socket, the WhatsApp webhook, the demo page and this reference.
 */
import { anyone, type ApiOperation, visitor } from "../../lib/openapi/operations.ts";
import {
  availabilitySchema,
  contextSchema,
  listSchema,
  messageSchema,
  sessionSchema,
  surveyAnswerSchema,
} from "../widget_api.ts";
import { offlineMessageSchema } from "../../lib/channels/offline_messages.ts";

const quota = "Too many requests from this visitor or address (`Retry-After`).";

export const publicOperations: ApiOperation[] = [
  {
    method: "GET",
    path: "/healthz",
    tag: "Service",
    summary: "Health check",
    access: anyone,
    produces: "json",
    responses: { 200: '`{"ok": true}` when KV answers.', 503: '`{"ok": false}`.' },
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    tag: "Service",
    summary: "This document (OpenAPI 3.1)",
    access: anyone,
    produces: "json",
    responses: { 200: "The OpenAPI document." },
  },
  {
    method: "GET",
    path: "/api/v1/docs",
    tag: "Service",
    summary: "This reference, as a page",
    access: anyone,
    produces: "html",
    responses: { 200: "The API reference." },
  },
  {
    method: "GET",
    path: "/widget.js",
    tag: "Web widget",
    summary: "The embeddable chat widget",
    access: anyone,
    produces: "javascript",
    responses: { 200: "The script (gzip when accepted; ETag).", 304: "Not modified." },
  },
  {
    method: "GET",
    path: "/widget-more.js",
    tag: "Web widget",
    summary:
      "The widget's on-demand module (transcript, pre-chat form, context sender, queue line, offline form)",
    access: anyone,
    produces: "javascript",
    responses: { 200: "An ES module (gzip when accepted; ETag; CORS `*`).", 304: "Not modified." },
  },
  {
    method: "POST",
    path: "/api/v1/widget/sessions",
    tag: "Web widget",
    summary: "Start or resume a visitor session",
    description: "Without `siteKey`, the default site (Parley's own origin).",
    access: anyone,
    body: sessionSchema,
    examples: { fresh: { siteKey: "site_3f9a2c" }, resume: { visitorToken: "v1.eyJ2…" } },
    produces: "json",
    responses: {
      200:
        "`{visitorToken, conversationId?, site, availability}` (`availability`: `{open, reason, opensAt, timeZone}`).",
      403: "This origin may not use the site.",
      429: quota,
    },
  },
  {
    method: "POST",
    path: "/api/v1/widget/context",
    tag: "Web widget",
    summary: "Merge key/value context (and the user's name and email)",
    access: visitor,
    body: contextSchema,
    examples: {
      plan: { context: { plan: "Gold", orderId: 4711 } },
      user: { user: { name: "Maria", email: "maria@example.com" } },
    },
    produces: "json",
    responses: { 200: "`{context}` as merged.", 401: "No or a bad visitor token.", 429: quota },
  },
  {
    method: "POST",
    path: "/api/v1/widget/messages",
    tag: "Web widget",
    summary: "Send a message (the first opens a conversation)",
    access: visitor,
    body: messageSchema,
    examples: {
      hello: { text: "Hi, where is my order?", clientId: "w-1", page: "/checkout" },
      file: { text: "", clientId: "w-2", attachments: ["01J9ZQ3K2M8X7V6T5R4P3N2B1A"] },
    },
    produces: "json",
    responses: {
      201: "`{message}`.",
      400: "`attachment_unknown`: not this visitor's upload, or expired.",
      401: "No or a bad visitor token.",
      409: "`attachment_used`.",
      429: quota,
    },
  },
  {
    method: "POST",
    path: "/api/v1/widget/attachments",
    tag: "Web widget",
    summary: "Upload a file for the visitor's next message",
    description: "Raw body, `Content-Type` and `?filename=` as the staff upload; same types " +
      "and 10 MB limit. 20 uploads a minute per visitor.",
    access: visitor,
    produces: "json",
    responses: {
      201: "`{attachment: {id, filename, contentType, size}}`.",
      401: "No or a bad visitor token.",
      413: "`too_large`.",
      415: "`unsupported_media_type` or `type_mismatch`.",
      429: quota,
    },
  },
  {
    method: "GET",
    path: "/api/v1/widget/attachments/:id",
    tag: "Web widget",
    summary: "Download a file of the visitor's own conversation",
    description: "Files of messages the visitor sees, and the visitor's own uploads; headers as " +
      "the staff download.",
    access: visitor,
    produces: "binary",
    responses: {
      200: "The file.",
      206: "The requested range.",
      401: "No or a bad visitor token.",
      404: "Unknown, or not this visitor's.",
    },
  },
  {
    method: "POST",
    path: "/api/v1/widget/offline-messages",
    tag: "Web widget",
    summary: "Leave a message and an email address (out of hours, or nobody Online)",
    description:
      "Opens a Pending chat marked as an offline message on the site's team queue (or adds to the visitor's open chat); the email and name go on the contact.",
    access: visitor,
    body: offlineMessageSchema,
    examples: {
      leave: {
        text: "Please call me back about my order.",
        email: "maria@example.com",
        name: "Maria",
        clientId: "w-off-1",
      },
    },
    produces: "json",
    responses: {
      201: "`{message, conversation}`.",
      400: "A field is missing or wrong (e.g. not an email address); nothing is stored.",
      401: "No or a bad visitor token.",
      429: quota,
    },
  },
  {
    method: "GET",
    path: "/api/v1/widget/availability",
    tag: "Web widget",
    summary: "Whether someone is there for the site's chats now",
    description:
      "The business hours of the team the site routes to (or the default), and whether anyone who could take the chat is Online. The visitor token's site, else `?siteKey=`.",
    access: anyone,
    query: availabilitySchema,
    produces: "json",
    responses: {
      200:
        '`{availability: {open, reason: null | "closed_hours" | "nobody_online", opensAt, timeZone}}`.',
      404: "Unknown site key.",
      429: quota,
    },
  },
  {
    method: "GET",
    path: "/api/v1/widget/messages",
    tag: "Web widget",
    summary: "The visitor's conversation as the visitor may see it",
    access: visitor,
    query: listSchema,
    produces: "json",
    responses: { 200: "`{conversationId, status, items}` (never internal notes)." },
  },
  {
    method: "POST",
    path: "/api/v1/widget/survey",
    tag: "Web widget",
    summary: "Answer the satisfaction survey of a closed conversation (once)",
    description:
      "The visitor's one answer: `rating` ok/ko, `nps` 0–10 when the survey asks for it, `comment` " +
      "when it takes one. Refused, with nothing changed, when late, repeated or not the visitor's.",
    access: visitor,
    body: surveyAnswerSchema,
    examples: { answer: { conversationId: "01JD…", rating: "ok", nps: 9, comment: "Quick help" } },
    produces: "json",
    responses: {
      200: "`{survey: {mode, comment, expiresAt, answer}}`.",
      400: "A rating, score or comment the survey does not take.",
      401: "No or a bad visitor token.",
      404: "Not the visitor's conversation (or unknown).",
      409: "`no_survey`, `survey_answered` or `survey_closed` (past the window, or written again).",
      429: quota,
    },
  },
  {
    method: "GET",
    path: "/ws/visitor",
    tag: "Real time",
    summary: "WebSocket for the visitor's conversation (`?token=`)",
    access: visitor,
    produces: "websocket",
    responses: { 101: "Switching protocols.", 401: "No or a bad visitor token." },
  },
  {
    method: "GET",
    path: "/webhooks/whatsapp",
    tag: "WhatsApp",
    summary: "Meta's verification handshake",
    description: "`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge` in the query.",
    access: anyone,
    produces: "html",
    responses: { 200: "The challenge, as text.", 403: "Verification failed." },
  },
  {
    method: "POST",
    path: "/webhooks/whatsapp",
    tag: "WhatsApp",
    summary: "Signed events from Meta's Cloud API",
    access: { kind: "whatsapp_signature" },
    produces: "json",
    responses: { 200: "`{ok: true, ...}` once durably queued.", 401: "A bad signature." },
  },
  {
    method: "GET",
    path: "/demo",
    tag: "Web widget",
    summary: "A demo page with the widget on it",
    access: anyone,
    produces: "html",
    responses: { 200: "The page." },
  },
];
