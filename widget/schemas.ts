/**
 * What the widget accepts from the server and from the host page, checked in
 * the browser by a few small predicates (a validation library cost widget.js
 * about 1.2 KB gzipped of its 8 KB budget for these five shapes). The
 * server's zod schemas stay the authority (widget_test.ts checks real
 * answers against these); these only keep a broken or hostile answer from
 * breaking the widget. Objects may carry more keys than listed (newer
 * servers add fields).
 */

/** A check of one shape: a value that passes is a `T`. */
export type Schema<T> = (x: unknown) => x is T;

type Check = (x: unknown) => boolean;
const string: Check = (x) => typeof x === "string";
const number: Check = (x) => typeof x === "number" && !Number.isNaN(x);
const optional = (c: Check): Check => (x) => x === undefined || c(x);
const nullable = (c: Check): Check => (x) => x === null || c(x);
const enums = (values: string[]): Check => (x) => values.includes(x as string);
const array = (c: Check): Check => (x) => Array.isArray(x) && x.every(c);
/** An object with at least these keys passing their checks (more keys are fine). */
const type = <T>(shape: Record<string, Check>) =>
  ((x: unknown) =>
    typeof x === "object" && x !== null &&
    Object.keys(shape).every((k) => shape[k]((x as Record<string, unknown>)[k]))) as Schema<T>;

/** Whether `x` passes `schema` (then it is a `T`). */
export const is = <T>(x: unknown, schema: Schema<T>): x is T => schema(x);

/** A log entry as the customer sees it (the engine's `CustomerMessage`). */
export const Message: Schema<Message> = type({
  id: string,
  seq: number,
  type: enums(["message", "event"]),
  kind: string,
  // Any string: the widget only compares it ("customer", "agent", "bot"; anything else is a line
  // from the service), so an author type added later shows instead of hiding the message.
  author: type({ type: string, name: optional(string) }),
  text: string,
  clientId: optional(nullable(string)),
  createdAt: string,
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

export const Conversation: Schema<Conversation> = type({
  id: string,
  status: enums(["pending", "active", "closed"]),
  agentName: nullable(string),
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

export const Session: Schema<{
  visitorToken: string;
  conversationId: string | null;
  site: { name: string; colour: string; greeting: string };
}> = type({
  visitorToken: string,
  conversationId: nullable(string),
  site: type({ name: string, colour: string, greeting: string }),
});

export const Listing: Schema<{ conversation: Conversation | null; messages: Message[] }> = type({
  conversation: nullable(Conversation),
  messages: array(Message),
});

export const Sent: Schema<{ message: Message; conversation: Conversation }> = type({
  message: Message,
  conversation: Conversation,
});

/** One `addContext` value: text, a finite number or true/false (`null` removes the key). */
export const ContextValue = (x: unknown): x is string | number | boolean | null =>
  x === null || typeof x === "string" || typeof x === "boolean" ||
  (typeof x === "number" && isFinite(x));

/** What `setUser` takes. */
export const UserInput: Schema<{ name?: string; email?: string }> = type({
  name: optional(string),
  email: optional(string),
});
