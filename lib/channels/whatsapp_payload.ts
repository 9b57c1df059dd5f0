/**
 * Meta's WhatsApp Cloud API webhook bodies, validated with zod and turned into
 * small channel-neutral records: {@link WhatsAppInbound} (a customer's
 * message) and {@link WhatsAppStatus} (a delivery state of one of ours).
 *
 * Tolerant by design: unknown fields are ignored, changes other than
 * `messages` (account or template updates) are skipped, a message of a type we
 * do not know becomes kind "unsupported" with its type kept (never dropped),
 * and one broken item does not sink the others in the same body. Only a body
 * that is not a WhatsApp webhook envelope at all is refused.
 *
 * Identity: a contact may lack `wa_id` (users with a username hide their
 * number); the business-scoped `user_id` is used then (whatsapp_identity.ts
 * keeps one customer id per person across both).
 */
import { z } from "zod";

const str = z.string();
const optStr = z.string().optional();

const mediaSchema = z.object({
  id: str.min(1),
  mime_type: optStr,
  caption: optStr,
  filename: optStr,
  sha256: optStr,
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

const locationSchema = z.object({
  latitude: z.coerce.number(),
  longitude: z.coerce.number(),
  name: optStr,
  address: optStr,
  url: optStr,
});

const sharedContactSchema = z.object({
  name: z.object({ formatted_name: optStr, first_name: optStr, last_name: optStr }).optional(),
  phones: z.array(z.object({ phone: optStr, wa_id: optStr, type: optStr })).optional(),
  emails: z.array(z.object({ email: optStr, type: optStr })).optional(),
});

const replySchema = z.object({ id: str, title: optStr, description: optStr });

const messageSchema = z.object({
  id: str.min(1).max(200),
  from: optStr,
  from_user_id: optStr,
  timestamp: z.union([str, z.number()]).optional(),
  type: str.min(1).max(64),
  context: z.object({ id: optStr, from: optStr }).optional(),
  text: z.object({ body: str }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: locationSchema.optional(),
  contacts: z.array(sharedContactSchema).optional(),
  interactive: z.object({
    type: str,
    button_reply: replySchema.optional(),
    list_reply: replySchema.optional(),
  }).optional(),
  button: z.object({ text: optStr, payload: optStr }).optional(),
  reaction: z.object({ message_id: optStr, emoji: optStr }).optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: optStr })).optional(),
});

const errorSchema = z.object({
  code: z.coerce.number(),
  title: optStr,
  message: optStr,
  error_data: z.object({ details: optStr }).optional(),
});

const statusSchema = z.object({
  id: str.min(1).max(200),
  status: str,
  timestamp: z.union([str, z.number()]).optional(),
  recipient_id: optStr,
  recipient_user_id: optStr,
  errors: z.array(errorSchema).optional(),
});

const contactSchema = z.object({
  wa_id: optStr,
  user_id: optStr,
  profile: z.object({ name: optStr, username: optStr }).optional(),
});

const valueSchema = z.object({
  metadata: z.object({ phone_number_id: optStr, display_phone_number: optStr }).optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

/** The envelope every Cloud API webhook shares; everything inside is checked item by item. */
export const webhookEnvelopeSchema = z.object({
  object: str,
  entry: z.array(z.object({
    id: optStr,
    changes: z.array(z.object({ field: optStr, value: z.unknown() })).default([]),
  })).max(1000),
});

export const MEDIA_KINDS = ["image", "audio", "video", "document", "sticker"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export type InboundKind =
  | "text"
  | MediaKind
  | "location"
  | "contacts"
  | "interactive"
  | "button"
  | "reaction"
  | "unsupported";

/** A customer's WhatsApp message, ready for the engine. */
export interface WhatsAppInbound {
  /** Meta's message id (`wamid....`); the engine's clientId, so a redelivery stores nothing new. */
  id: string;
  phoneNumberId: string | null;
  customer: {
    /** `wa_id`, or the business-scoped user id when the number is hidden. */
    id: string;
    waId: string | null;
    userId: string | null;
    name: string | null;
    /** E.164 (`+` and digits) when Meta shared the number. */
    phone: string | null;
  };
  /** When the customer sent it (ISO 8601). */
  sentAt: string;
  kind: InboundKind;
  /** What the agent reads in the transcript. */
  text: string;
  /** Structured details of the kind (media id, location, reply id, unsupported type...). */
  data: Record<string, unknown>;
}

export const DELIVERY_STATUSES = ["sent", "delivered", "read", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery state of a message we sent. */
export interface WhatsAppStatus {
  wamid: string;
  status: DeliveryStatus;
  at: string;
  recipientId: string | null;
  error: { code: number; title: string; details: string | null } | null;
}

export interface ParsedWebhook {
  messages: WhatsAppInbound[];
  statuses: WhatsAppStatus[];
  /** Items that could not be used (no id, no sender, unknown status); logged, not fatal. */
  skipped: string[];
}

/** A sender-controlled string as it may appear in a log line: short, quoted, one line. */
const quote = (value: string) => JSON.stringify(value.slice(0, 60));

function isoFrom(timestamp: string | number | undefined): string {
  const seconds = Number(timestamp);
  if (timestamp === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    return new Date().toISOString();
  }
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

const phoneFrom = (waId: string | null) => waId && /^\d{5,20}$/.test(waId) ? `+${waId}` : null;

type Message = z.infer<typeof messageSchema>;
type Contact = z.infer<typeof contactSchema>;

/** The readable text and structured data of one message, by type. */
export function describeMessage(m: Message): Pick<WhatsAppInbound, "kind" | "text" | "data"> {
  const data: Record<string, unknown> = {};
  if (m.context?.id) data.replyTo = m.context.id;
  const type = m.type;
  if (type === "text" && m.text) return { kind: "text", text: m.text.body, data };
  if ((MEDIA_KINDS as readonly string[]).includes(type) && m[type as MediaKind]) {
    const media = m[type as MediaKind]!;
    // `mediaId` at the top is what the workspace links to (`/api/v1/media/:mediaId`).
    data.mediaId = media.id;
    data.media = {
      id: media.id,
      mimeType: media.mime_type ?? null,
      caption: media.caption ?? null,
      filename: media.filename ?? null,
      sha256: media.sha256 ?? null,
      ...(media.voice !== undefined ? { voice: media.voice } : {}),
      ...(media.animated !== undefined ? { animated: media.animated } : {}),
    };
    const label = type === "audio" && media.voice ? "voice message" : type;
    const text = media.caption?.trim() || media.filename?.trim() || `[${label}]`;
    return { kind: type as MediaKind, text, data };
  }
  if (type === "location" && m.location) {
    const l = m.location;
    data.location = { ...l };
    const where = [l.name, l.address].filter(Boolean).join(", ");
    return {
      kind: "location",
      text: `Location: ${where ? where + " " : ""}(${l.latitude}, ${l.longitude})`,
      data,
    };
  }
  if (type === "contacts" && m.contacts) {
    const shared = m.contacts.map((c) => ({
      name: c.name?.formatted_name ??
        ([c.name?.first_name, c.name?.last_name].filter(Boolean).join(" ") || null),
      phones: (c.phones ?? []).map((p) => p.phone ?? p.wa_id).filter(Boolean),
      emails: (c.emails ?? []).map((e) => e.email).filter(Boolean),
    }));
    data.contacts = shared;
    const names = shared.map((c) => [c.name, ...c.phones].filter(Boolean).join(" ")).join("; ");
    return { kind: "contacts", text: `Shared contact: ${names || "(empty)"}`, data };
  }
  if (type === "interactive" && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    if (reply) {
      data.reply = {
        type: m.interactive.button_reply ? "button_reply" : "list_reply",
        id: reply.id,
        title: reply.title ?? null,
        description: reply.description ?? null,
      };
      const text = [reply.title ?? reply.id, reply.description].filter(Boolean).join(" — ");
      return { kind: "interactive", text, data };
    }
  }
  if (type === "button" && m.button) {
    data.reply = {
      type: "button",
      payload: m.button.payload ?? null,
      title: m.button.text ?? null,
    };
    return { kind: "button", text: m.button.text ?? m.button.payload ?? "[button]", data };
  }
  if (type === "reaction" && m.reaction) {
    data.reaction = { messageId: m.reaction.message_id ?? null, emoji: m.reaction.emoji ?? "" };
    const text = m.reaction.emoji
      ? `Reacted ${m.reaction.emoji} to a message`
      : "Removed a reaction";
    return { kind: "reaction", text, data };
  }
  // Unknown types (and known ones missing their object) are kept, never dropped.
  data.unsupportedType = type;
  const reason = m.errors?.[0]?.title;
  if (reason) data.reason = reason;
  return {
    kind: "unsupported",
    text: `Unsupported WhatsApp message (type: ${type})${reason ? `: ${reason}` : ""}`,
    data,
  };
}

function customerFor(m: Message, contacts: Contact[], index: number) {
  const contact =
    contacts.find((c) =>
      (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id)
    ) ?? contacts[index] ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = contact?.wa_id ?? m.from ?? null;
  const userId = contact?.user_id ?? m.from_user_id ?? null;
  const id = waId ?? userId;
  if (!id) return null;
  return {
    id,
    waId,
    userId,
    name: contact?.profile?.name?.trim() || contact?.profile?.username?.trim() || null,
    phone: phoneFrom(waId),
  };
}

function statusFrom(raw: z.infer<typeof statusSchema>): WhatsAppStatus | null {
  if (!(DELIVERY_STATUSES as readonly string[]).includes(raw.status)) return null;
  const err = raw.errors?.[0];
  return {
    wamid: raw.id,
    status: raw.status as DeliveryStatus,
    at: isoFrom(raw.timestamp),
    recipientId: raw.recipient_id ?? raw.recipient_user_id ?? null,
    error: err
      ? {
        code: err.code,
        title: err.title ?? err.message ?? "Unknown error",
        details: err.error_data?.details ?? null,
      }
      : null,
  };
}

/**
 * Turns a parsed webhook body into records. Returns `null` when the body is
 * not a WhatsApp webhook envelope (the route answers 400); otherwise every
 * usable message and status, in the order Meta sent them.
 */
export function parseWhatsAppWebhook(body: unknown): ParsedWebhook | null {
  const envelope = webhookEnvelopeSchema.safeParse(body);
  if (!envelope.success) return null;
  const out: ParsedWebhook = { messages: [], statuses: [], skipped: [] };
  if (envelope.data.object !== "whatsapp_business_account") {
    out.skipped.push(`object ${quote(envelope.data.object)}`);
    return out;
  }
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== undefined && change.field !== "messages") {
        out.skipped.push(`field ${quote(change.field)}`);
        continue;
      }
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        out.skipped.push("change value");
        continue;
      }
      const phoneNumberId = value.data.metadata?.phone_number_id ?? null;
      const contacts = (value.data.contacts ?? []).flatMap((c) => {
        const parsed = contactSchema.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      });
      (value.data.messages ?? []).forEach((raw, index) => {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) return void out.skipped.push("message without id or type");
        const customer = customerFor(parsed.data, contacts, index);
        if (!customer) {
          return void out.skipped.push(`message ${quote(parsed.data.id)} without sender`);
        }
        out.messages.push({
          id: parsed.data.id,
          phoneNumberId,
          customer,
          sentAt: isoFrom(parsed.data.timestamp),
          ...describeMessage(parsed.data),
        });
      });
      for (const raw of value.data.statuses ?? []) {
        const parsed = statusSchema.safeParse(raw);
        const status = parsed.success ? statusFrom(parsed.data) : null;
        if (status) out.statuses.push(status);
        else out.skipped.push("status");
      }
    }
  }
  return out;
}
