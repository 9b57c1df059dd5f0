/**
 * Realistic WhatsApp Cloud API webhook bodies (shapes from Meta's webhook
 * reference), built by small factories so each test gets fresh message ids.
 */

export const PHONE_NUMBER_ID = "106540352242922";
export const WABA_ID = "102290129340398";

let counter = 0;
/** A fresh Meta-style message id. */
export function wamid(): string {
  counter++;
  return `wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ${counter}${crypto.randomUUID().replace(/-/g, "")}`;
}

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** Wraps one `value` into the envelope Meta posts. */
export function envelope(value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [{
      id: WABA_ID,
      changes: [{
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID },
          ...value,
        },
        field: "messages",
      }],
    }],
  };
}

export interface Customer {
  waId?: string;
  userId?: string;
  name?: string;
}

function contactOf(c: Customer) {
  return {
    profile: { name: c.name ?? "Sheena Nelson" },
    ...(c.waId ? { wa_id: c.waId } : {}),
    ...(c.userId ? { user_id: c.userId } : {}),
  };
}

/** A customer's message of any type; `content` is the type's own object(s). */
export function inbound(
  customer: Customer,
  type: string,
  content: Record<string, unknown>,
  id = wamid(),
) {
  return envelope({
    contacts: [contactOf(customer)],
    messages: [{
      ...(customer.waId ? { from: customer.waId } : {}),
      ...(customer.userId ? { from_user_id: customer.userId } : {}),
      id,
      timestamp: nowSeconds(),
      type,
      ...content,
    }],
  });
}

export const textBody = (c: Customer, body: string, id?: string) =>
  inbound(c, "text", { text: { body } }, id);

export const imageBody = (c: Customer, mediaId: string, caption?: string) =>
  inbound(c, "image", {
    image: {
      caption,
      mime_type: "image/jpeg",
      sha256: "Y2FmZWJhYmVjYWZlYmFiZWNhZmViYWJlY2FmZWJhYmU=",
      id: mediaId,
    },
  });

export const buttonReplyBody = (c: Customer, id: string, title: string) =>
  inbound(c, "interactive", {
    context: { from: "15550783881", id: "wamid.HBgLMTY1MDM4NzkRAgASGCA0" },
    interactive: { type: "button_reply", button_reply: { id, title } },
  });

export const listReplyBody = (c: Customer, id: string, title: string, description: string) =>
  inbound(c, "interactive", {
    interactive: { type: "list_reply", list_reply: { id, title, description } },
  });

/** A delivery status of a message we sent. */
export function statusBody(
  id: string,
  status: "sent" | "delivered" | "read" | "failed",
  recipient = "16505551234",
  error?: { code: number; title: string; details?: string },
) {
  return envelope({
    statuses: [{
      id,
      status,
      timestamp: nowSeconds(),
      recipient_id: recipient,
      ...(status !== "failed"
        ? {
          conversation: {
            id: "CONVERSATION_ID",
            expiration_timestamp: nowSeconds(),
            origin: { type: "service" },
          },
          pricing: { billable: true, pricing_model: "PMP", category: "service" },
        }
        : {}),
      ...(error
        ? {
          errors: [{
            code: error.code,
            title: error.title,
            message: error.title,
            error_data: { details: error.details ?? error.title },
            href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
          }],
        }
        : {}),
    }],
  });
}

/** The same webhook body with its (first) message sent at `unixSeconds` by Meta's clock. */
export function sentAt<T>(body: T, unixSeconds: number): T {
  const copy = structuredClone(body) as {
    entry: { changes: { value: { messages: { timestamp: string }[] } }[] }[];
  };
  copy.entry[0].changes[0].value.messages[0].timestamp = String(Math.floor(unixSeconds));
  return copy as T;
}

/** Unix seconds `hours` ago. */
export const hoursAgo = (hours: number) => Math.floor(Date.now() / 1000 - hours * 3600);

/** Message templates in Meta's shape: positional, named, pending, and one with a media header. */
export function graphTemplates() {
  return [
    {
      id: "1001",
      name: "order_update",
      language: "en_US",
      status: "APPROVED",
      category: "UTILITY",
      parameter_format: "POSITIONAL" as const,
      components: [
        { type: "HEADER", format: "TEXT", text: "Order {{1}}", example: { header_text: ["A-1"] } },
        {
          type: "BODY",
          text: "Hi {{1}}, your order is {{2}}. Reply to this message to continue.",
          example: { body_text: [["Pablo", "on its way"]] },
        },
        { type: "FOOTER", text: "Parley Shop" },
        { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Talk to us" }] },
      ],
    },
    {
      id: "1002",
      name: "follow_up",
      language: "es",
      status: "APPROVED",
      category: "UTILITY",
      parameter_format: "NAMED" as const,
      components: [{
        type: "BODY",
        text: "Hola {{customer_name}}, ¿seguimos con el pedido {{order_id}}?",
        example: {
          body_text_named_params: [
            { param_name: "customer_name", example: "Ana" },
            { param_name: "order_id", example: "A-77" },
          ],
        },
      }],
    },
    {
      id: "1003",
      name: "spring_sale",
      language: "en_US",
      status: "PENDING",
      category: "MARKETING",
      components: [{ type: "BODY", text: "Spring sale!" }],
    },
    {
      id: "1004",
      name: "invoice_pdf",
      language: "en_US",
      status: "APPROVED",
      category: "UTILITY",
      components: [
        { type: "HEADER", format: "DOCUMENT" },
        { type: "BODY", text: "Your invoice is attached." },
      ],
    },
  ];
}
