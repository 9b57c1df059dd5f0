/**
 * The WebSocket protocol of `/ws/agent` and `/ws/visitor`: one zod schema per
 * frame, defined once here and imported by the server and the islands (the
 * widget mirrors these shapes with small checks, widget/schemas.ts; docs/api.md lists them).
 *
 * Every frame is a JSON text frame with a `type`. Client frames:
 * - `subscribe {conversationId, afterSeq?}`: receive the conversation's log
 *   after `afterSeq` (its per-conversation message seq; 0 or absent = all),
 *   then live entries. A visitor may subscribe only to its own conversation.
 * - `unsubscribe {conversationId}`
 * - `send {conversationId, clientId, text, internal?, attachments?}`: answered with
 *   `ack {clientId, seq}` after the commit (the same clientId again is acked
 *   with the stored seq, nothing new stored). `internal` is staff-only. A
 *   visitor's first message uses `conversationId: "new"`.
 * - `typing {conversationId, typing}`: ephemeral, never stored.
 * - `read {conversationId, seq}`: read marker up to `seq`.
 * - `ping`: answered with `pong` (keeps proxies from closing idle sockets).
 *
 * Server frames: `hello`, `subscribed`, `reset`, `message`, `ack`, `typing`, `read`,
 * `event`, `queue` (visitors: place and estimated wait while Pending),
 * `error {code, message, ref?, details?}`, `pong`.
 */
import { z } from "zod";
import { attachmentIds, clientId, messageWithFiles } from "../domain/boundary.ts";
import { MAX_CLIENT_ID_CHARS, MAX_TEXT_CHARS } from "../domain/limits.ts";

/** Longest message text, in characters (announced in `hello`). */
export { MAX_TEXT_CHARS };
/** Largest client frame accepted, in bytes (a full-length message in 4-byte UTF-8 plus room). */
export const MAX_FRAME_BYTES = 20 * 1024;

const id = z.string().min(1, "must not be empty").max(100, "too long");
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `subscribe`: the log after `afterSeq`, then live entries. */
export const subscribeFrame = z.object({
  type: z.literal("subscribe"),
  conversationId: id,
  afterSeq: seq.optional(),
}).strict();

/** `unsubscribe`: stop receiving a conversation. */
export const unsubscribeFrame = z.object({
  type: z.literal("unsubscribe"),
  conversationId: id,
}).strict();

/** `send`: append a message (acked after the commit). */
export const sendFrame = z.object({
  type: z.literal("send"),
  conversationId: id,
  clientId,
  // With attachments the text may be empty.
  text: z.string().max(MAX_TEXT_CHARS),
  internal: z.boolean().optional(),
  attachments: attachmentIds.optional(),
}).strict().superRefine((v, ctx) => {
  const checked = messageWithFiles.safeParse(v);
  if (!checked.success) { for (const issue of checked.error.issues) ctx.addIssue({ ...issue }); }
});

/** `typing`: ephemeral, never stored. */
export const typingFrame = z.object({
  type: z.literal("typing"),
  conversationId: id,
  typing: z.boolean(),
}).strict();

/** `read`: a read marker up to `seq`. */
export const readFrame = z.object({
  type: z.literal("read"),
  conversationId: id,
  seq,
}).strict();

/** `ping`: answered with `pong`. */
export const pingFrame = z.object({ type: z.literal("ping") }).strict();

/** Every client frame type, for "unknown type" answers. */
export const CLIENT_FRAME_TYPES = [
  "subscribe",
  "unsubscribe",
  "send",
  "typing",
  "read",
  "ping",
] as const;

/** Any client frame. */
export const clientFrame = z.discriminatedUnion("type", [
  subscribeFrame,
  unsubscribeFrame,
  sendFrame,
  typingFrame,
  readFrame,
  pingFrame,
]);
/** A parsed client frame. */
export type ClientFrame = z.infer<typeof clientFrame>;

/** Who wrote or is typing, as the receiver may see it. */
export const actor = z.object({
  kind: z.enum(["visitor", "agent", "system"]),
  id: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
});
/** Who wrote, typed or read. */
export type Actor = z.infer<typeof actor>;

/** A log entry as sent to clients: the engine's message record (visitors get a filtered view). */
export const logEntry = z.object({ id: z.string(), seq }).passthrough();

/** Any server frame (islands parse what they receive with it). */
export const serverFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    role: z.enum(["visitor", "agent", "supervisor", "admin"]),
    id: z.string(),
    maxTextChars: z.number(),
    maxFrameBytes: z.number(),
  }),
  z.object({
    type: z.literal("subscribed"),
    conversationId: z.string(),
    /** The newest seq sent in the catch-up; live `message` frames follow. */
    seq,
  }),
  /**
   * The subscribe's `afterSeq` is beyond the conversation's log (whose newest seq is `seq`):
   * drop what you hold of it; the whole log follows, then `subscribed`.
   */
  z.object({ type: z.literal("reset"), conversationId: z.string(), seq }),
  z.object({ type: z.literal("message"), conversationId: z.string(), message: logEntry }),
  z.object({
    type: z.literal("ack"),
    clientId: z.string(),
    conversationId: z.string(),
    seq,
    messageId: z.string(),
  }),
  z.object({
    type: z.literal("typing"),
    conversationId: z.string(),
    from: actor,
    typing: z.boolean(),
  }),
  z.object({ type: z.literal("read"), conversationId: z.string(), seq, by: actor }),
  /** A conversation change that is not a log entry (status, assignee, context...). */
  z.object({
    type: z.literal("event"),
    conversationId: z.string(),
    event: z.object({ type: z.string() }).passthrough(),
  }),
  /**
   * Visitors only: the subscribed conversation's place in the queue (1 = next) and estimated
   * wait in seconds (null: no estimate), when it is queued and whenever either changes; both
   * null once it left the queue (lib/domain/queue_place.ts).
   */
  z.object({
    type: z.literal("queue"),
    conversationId: z.string(),
    queuePosition: z.number().int().min(1).nullable(),
    estimatedWaitSeconds: z.number().int().min(1).nullable(),
  }),
  z.object({
    type: z.literal("error"),
    code: z.string(),
    message: z.string(),
    /** The clientId or conversationId of the frame that failed, when known. */
    ref: z.string().optional(),
    /** More about a refusal, as the HTTP API's `error.details` (e.g. `window_closed`: `closedAt`). */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal("pong") }),
]);
/** A server frame. */
export type ServerFrame = z.infer<typeof serverFrame>;

/** Why a client frame was refused: `code` for programs, `message` for people. */
export interface FrameProblem {
  code: "frame_too_large" | "malformed_json" | "unknown_type" | "invalid_frame";
  message: string;
  ref?: string;
}

/**
 * Parses one raw client frame (string or binary), naming the problem when it
 * is not a valid frame. Never throws.
 */
export function parseClientFrame(
  raw: unknown,
): { ok: true; frame: ClientFrame } | { ok: false; problem: FrameProblem } {
  if (typeof raw !== "string") {
    return {
      ok: false,
      problem: { code: "invalid_frame", message: "Frames must be JSON text, not binary." },
    };
  }
  // A UTF-16 length over the byte limit is always over it; otherwise count bytes.
  if (raw.length > MAX_FRAME_BYTES || new TextEncoder().encode(raw).length > MAX_FRAME_BYTES) {
    return {
      ok: false,
      problem: {
        code: "frame_too_large",
        message: `Frames must be at most ${MAX_FRAME_BYTES} bytes.`,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problem: { code: "malformed_json", message: "The frame is not JSON." } };
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (
    typeof value !== "object" || value === null || Array.isArray(value) ||
    typeof type !== "string" || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)
  ) {
    return {
      ok: false,
      problem: {
        code: "unknown_type",
        message: `Unknown frame type ${JSON.stringify(type ?? null)}; expected one of ${
          CLIENT_FRAME_TYPES.join(", ")
        }.`,
      },
    };
  }
  const result = clientFrame.safeParse(value);
  if (!result.success) {
    const v = value as { clientId?: unknown; conversationId?: unknown };
    const ref = typeof v.clientId === "string"
      ? v.clientId.slice(0, MAX_CLIENT_ID_CHARS)
      : typeof v.conversationId === "string"
      ? v.conversationId.slice(0, 100)
      : undefined;
    return {
      ok: false,
      problem: {
        code: "invalid_frame",
        message: `Invalid ${type} frame: ` +
          result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message)
            .join("; "),
        ...(ref ? { ref } : {}),
      },
    };
  }
  return { ok: true, frame: result.data };
}
