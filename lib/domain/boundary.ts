/**
 * One schema per shape that crosses Parley's boundary more than once, so the
 * routes, the socket protocol and the engine cannot drift apart:
 * - a message a person writes, `{text, clientId}` (staff API, workspace
 *   form, widget API, `send` frames, the engine's own checks);
 * - max chats (an agent's own, the global setting);
 * - Parley's own origin, as the browser addressed it (CSRF, the widget's
 *   origin check, the workspace form's way back).
 * Bounds are the numbers in limits.ts. Pure: imports nothing outside lib/domain.
 *
 * @example
 * const body = parseWith(messageInput.extend({ internal: z.boolean().optional() }), raw);
 * const self = ownOrigin(c.req.raw); // "https://parley.example"
 */
import { z } from "zod";
import { MAX_CHATS, MAX_CLIENT_ID_CHARS, MAX_TEXT_CHARS } from "./limits.ts";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "./attachments.ts";

/**
 * A message's text: trimmed, then 1 to {@link MAX_TEXT_CHARS} characters.
 * `emptyMessage` lets a page say it in its own words ("Write a message first.").
 */
export function messageText(emptyMessage = "must not be empty") {
  return z.string().trim().min(1, emptyMessage).max(
    MAX_TEXT_CHARS,
    `must be at most ${MAX_TEXT_CHARS} characters`,
  );
}

/** The sender's own id for a message: a repeat with the same id stores nothing new. */
export const clientId = z.string().min(1, "must not be empty").max(
  MAX_CLIENT_ID_CHARS,
  `must be at most ${MAX_CLIENT_ID_CHARS} characters`,
);

/** `{text, clientId}`: what every sender of a message gives (extend it with a route's extras). */
export const messageInput = z.object({ text: messageText(), clientId });

/** The ids of files uploaded for a message (at most {@link MAX_ATTACHMENTS_PER_MESSAGE}). */
export const attachmentIds = z.array(z.string().min(1).max(64)).max(
  MAX_ATTACHMENTS_PER_MESSAGE,
  `at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments`,
);

/**
 * `{text, clientId, attachments?}`: a message that may carry files. With at
 * least one file the text may be empty (a photo alone); without, it is a
 * {@link messageInput}.
 */
export const messageWithFiles = z.object({
  text: z.string().trim().max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`),
  clientId,
  attachments: attachmentIds.optional(),
}).superRefine((v, ctx) => {
  if (v.text === "" && !v.attachments?.length) {
    ctx.addIssue({ code: "custom", path: ["text"], message: "must not be empty" });
  }
});

/** An agent's max chats, or the global max chats per agent: a whole number 1 to 100. */
export const maxChats = z.number(
  `Max chats must be a number from ${MAX_CHATS.min} to ${MAX_CHATS.max}`,
)
  .int(`Max chats must be a whole number from ${MAX_CHATS.min} to ${MAX_CHATS.max}`)
  .min(MAX_CHATS.min, `Max chats must be between ${MAX_CHATS.min} and ${MAX_CHATS.max}`)
  .max(MAX_CHATS.max, `Max chats must be between ${MAX_CHATS.min} and ${MAX_CHATS.max}`);

/**
 * Parley's own origin as the browser addressed it: `https` when the request
 * came over TLS or a proxy says so (`X-Forwarded-Proto: https`); the host
 * from `X-Forwarded-Host`, else `Host`, else the URL.
 */
export function ownOrigin(req: { url: string; headers: Headers }): string {
  const url = new URL(req.url);
  const https = url.protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? url.host;
  return `${https ? "https" : "http"}://${host}`;
}

/**
 * Is `origin` (an `Origin` or `Referer` value) on Parley's own host, given
 * {@link ownOrigin}? The scheme is left aside, so a TLS proxy that does not
 * send `X-Forwarded-Proto` still matches.
 */
export function isOwnHost(origin: string, own: string): boolean {
  try {
    return new URL(origin).host === new URL(own).host;
  } catch {
    return false; // "null" or garbage: not ours
  }
}
