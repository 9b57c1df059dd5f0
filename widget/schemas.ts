/**
 * What the widget accepts from the server and from the host page, checked in
 * the browser with superstruct (tiny, tree-shaken). The server's zod schemas
 * stay the authority; these only keep a broken or hostile answer from
 * breaking the widget.
 */
import { array, define, enums, is, nullable, number, optional, string, type } from "superstruct";

/** A log entry as the customer sees it (the engine's `CustomerMessage`). */
export const Message = type({
  id: string(),
  seq: number(),
  type: enums(["message", "event"]),
  kind: string(),
  // Any string: the widget only compares it ("customer", "agent", "bot"; anything else is a line
  // from the service), so an author type added later shows instead of hiding the message.
  author: type({ type: string(), name: optional(string()) }),
  text: string(),
  clientId: optional(nullable(string())),
  createdAt: string(),
});
export type Message = {
  id: string;
  seq: number;
  type: "message" | "event";
  kind: string;
  /** "customer", "agent", "system" or "bot" (read as any string: see above). */
  author: { type: string; name?: string };
  text: string;
  clientId?: string | null;
  createdAt: string;
  /** Event details, e.g. `{ agentName }` for "assigned"; not validated, read defensively. */
  data?: Record<string, unknown> | null;
  /** Files of the message (drawn by more.ts); not validated here, checked there. */
  attachments?: unknown[];
};

export const Conversation = type({
  id: string(),
  status: enums(["pending", "active", "closed"]),
  agentName: nullable(string()),
});
export type Conversation = {
  id: string;
  status: "pending" | "active" | "closed";
  agentName: string | null;
  /** The satisfaction survey of a closed conversation (read by widget/survey.ts, defensively). */
  survey?: Survey | null;
};

/** What the server says of a closed conversation's survey (lib/channels/webchat_survey.ts). */
export type Survey = {
  mode: "csat" | "csat_nps";
  comment: boolean;
  expiresAt: string;
  answer: { rating: "ok" | "ko"; nps: number | null } | null;
};

export const Session = type({
  visitorToken: string(),
  conversationId: nullable(string()),
  site: type({ name: string(), colour: string(), greeting: string() }),
});

export const Listing = type({
  conversation: nullable(Conversation),
  messages: array(Message),
});

export const Sent = type({ message: Message, conversation: Conversation });

/** One `addContext` value: text, a finite number or true/false (`null` removes the key). */
export const ContextValue = /* @__PURE__ */ define<string | number | boolean | null>(
  "contextValue",
  (x) =>
    x === null || typeof x === "string" || typeof x === "boolean" ||
    (typeof x === "number" && isFinite(x)),
);

/** What `setUser` takes. */
export const UserInput = /* @__PURE__ */ type({
  name: optional(string()),
  email: optional(string()),
});

export { is };
