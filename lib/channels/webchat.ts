/**
 * The web chat channel: what the visitor API (routes/widget_api.ts) and the
 * visitor WebSocket do for a visitor, on top of sites, visitor tokens and the
 * conversation engine.
 *
 * - {@link startVisitorSession}: checks the site and the page's origin and
 *   returns a (new or still valid) visitor token plus the visitor's latest
 *   conversation id, so a reload resumes, and whether someone is there
 *   (./availability.ts: business hours, somebody Online).
 * - {@link authorizeVisitor}: token + origin check for every later request
 *   (also the visitor WebSocket's check).
 * - Context sent before the first message, and user details at any time, are
 *   held for the visitor's next message (the engine's held_details.ts, with
 *   the context bounds); the engine takes them in the commit that stores the
 *   message. Context sent while a conversation is open merges into it live.
 */
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import {
  issueVisitorToken,
  verifyVisitorToken,
  type VisitorClaims,
} from "../auth/visitor_token.ts";
import type {
  ContextData,
  ContextValue,
  Conversation,
  CustomerMessage,
} from "../domain/engine_types.ts";
import { getAgent } from "../store/agents.ts";
import {
  findContact,
  getConversation,
  getOpenConversation,
  type HeldUser,
  holdCustomerDetails,
  listMessagesForCustomer,
  mergeContext,
  receiveCustomerMessage,
  toCustomerMessage,
} from "../store/engine/mod.ts";
import { keys } from "../store/keys.ts";
import { readQueueStanding } from "../store/engine/queue_standing.ts";
import {
  checkOrigin,
  getSite,
  type PublicSite,
  publicSite,
  resolveSite,
  type Site,
} from "../store/sites.ts";
import type { Engine } from "../store/engine/engine.ts";
import { type Availability, availabilityFor } from "./availability.ts";
import { type VisitorSurveyView, visitorSurveyView } from "../domain/survey.ts";

/** A visitor request that passed the token and origin checks. */
export interface VisitorAccess {
  claims: VisitorClaims;
  site: Site;
}

/** Details a page may give about its visitor with `setUser`. */
export type VisitorUser = HeldUser;

const originRefused = (reason: string) => new AppError(403, "origin_not_allowed", reason);

/**
 * Checks the token and the origin of a visitor request. Throws 401
 * `invalid_token` for a missing, forged or expired token or a deleted site,
 * and 403 `origin_not_allowed` (with the reason) for an origin the site does
 * not allow.
 */
export async function authorizeVisitor(
  engine: Engine,
  token: string | null | undefined,
  origin: string | null | undefined,
  selfOrigin: string,
): Promise<VisitorAccess> {
  const { kv } = engine;
  const claims = await verifyVisitorToken(engine, token);
  if (!claims) {
    throw new AppError(401, "invalid_token", "The visitor token is missing, invalid or expired.");
  }
  const site = await getSite(kv, claims.siteId);
  if (!site) throw new AppError(401, "invalid_token", "The site of this visitor token is gone.");
  const verdict = checkOrigin(site, origin, selfOrigin);
  if (!verdict.ok) throw originRefused(verdict.reason);
  return { claims, site };
}

/**
 * The site a request is about, for CORS: the token's site when the request
 * carries a valid token, else the `siteKey` (the default site without one).
 * Null for an unknown site key.
 */
export async function siteForRequest(
  engine: Engine,
  token: string | null,
  siteKey: string | undefined,
): Promise<Site | null> {
  const { kv } = engine;
  const claims = token ? await verifyVisitorToken(engine, token) : null;
  if (claims) return await getSite(kv, claims.siteId);
  return await resolveSite(kv, siteKey);
}

/** Throws the 403 for an origin `site` does not allow. */
export function assertOrigin(site: Site, origin: string | null | undefined, selfOrigin: string) {
  const verdict = checkOrigin(site, origin, selfOrigin);
  if (!verdict.ok) throw originRefused(verdict.reason);
}

/**
 * Starts or resumes a visitor session on a site. A token that is valid for
 * this site is kept (same visitor, same conversations); anything else gets a
 * fresh visitor.
 */
export async function startVisitorSession(
  engine: Engine,
  input: { siteKey?: string; visitorToken?: string; origin?: string | null; selfOrigin: string },
): Promise<
  {
    visitorToken: string;
    visitorId: string;
    conversationId: string | null;
    site: PublicSite;
    availability: Availability;
  }
> {
  const { kv } = engine;
  const site = await resolveSite(kv, input.siteKey);
  if (!site) throw new AppError(404, "unknown_site", "No widget site has this site key.");
  assertOrigin(site, input.origin, input.selfOrigin);
  const claims = input.visitorToken ? await verifyVisitorToken(engine, input.visitorToken) : null;
  const availability = await availabilityFor(engine, site.teamId);
  if (claims && claims.siteId === site.id) {
    return {
      visitorToken: input.visitorToken!,
      visitorId: claims.visitorId,
      conversationId: (await latestVisitorConversation(kv, claims.visitorId))?.id ?? null,
      site: publicSite(site),
      availability,
    };
  }
  const visitorId = newId();
  return {
    visitorToken: await issueVisitorToken(engine, { visitorId, siteId: site.id }),
    visitorId,
    conversationId: null,
    site: publicSite(site),
    availability,
  };
}

/** The conversation as the visitor's widget shows it. */
export interface VisitorConversationView {
  id: string;
  status: Conversation["status"];
  /** The assigned agent's name while Active. */
  agentName: string | null;
  /** 1 = next in line, while Pending (lib/domain/queue_place.ts). */
  queuePosition: number | null;
  /** Estimated wait in seconds while Pending, from recent pickups; null without a basis. */
  estimatedWaitSeconds: number | null;
  /** Left with the offline form (./offline_messages.ts): answered by email, no place shown. */
  offlineMessage: boolean;
  /** The satisfaction survey the close offered, once Closed (lib/domain/survey.ts). */
  survey: VisitorSurveyView | null;
}

/** The visitor's newest web chat conversation (open or closed), or null before the first message. */
export async function latestVisitorConversation(
  kv: Deno.Kv,
  visitorId: string,
): Promise<Conversation | null> {
  const contact = await findContact(kv, "webchat", visitorId);
  if (!contact) return null;
  const open = await getOpenConversation(kv, contact.id, "webchat");
  if (open) return open;
  // Conversation ids are time-ordered: the newest web chat comes first in reverse.
  for await (
    const entry of kv.list<string>({ prefix: keys.contactConversationsPrefix(contact.id) }, {
      reverse: true,
      limit: 20,
    })
  ) {
    if (entry.value === "webchat") return await getConversation(kv, String(entry.key.at(-1)));
  }
  return null;
}

export async function visitorConversationView(
  kv: Deno.Kv,
  conv: Conversation,
): Promise<VisitorConversationView> {
  const agent = conv.status === "active" && conv.assigneeId
    ? await getAgent(kv, conv.assigneeId)
    : null;
  return {
    id: conv.id,
    status: conv.status,
    agentName: agent?.name ?? null,
    ...await readQueueStanding(kv, conv),
    offlineMessage: conv.offlineMessage === true,
    survey: visitorSurveyView(conv),
  };
}

/**
 * The visitor's conversation as the widget shows it: its state and the
 * entries after `after` when `conversationId` is still the newest one, else
 * all entries of the newest one. Never internal notes or staff-only events.
 */
export async function listVisitorMessages(
  kv: Deno.Kv,
  visitorId: string,
  query: { conversationId?: string; after?: number },
): Promise<{ conversation: VisitorConversationView | null; messages: CustomerMessage[] }> {
  const conv = await latestVisitorConversation(kv, visitorId);
  if (!conv) return { conversation: null, messages: [] };
  const after = query.conversationId === conv.id ? query.after ?? 0 : 0;
  const [view, messages] = await Promise.all([
    visitorConversationView(kv, conv),
    listMessagesForCustomer(kv, conv.id, after),
  ]);
  return { conversation: view, messages };
}

/** What the agent's Context panel shows as Page, Browser and Language. */
export interface VisitorDetails {
  pageUrl?: string;
  userAgent?: string;
  language?: string;
}

/**
 * The visitor's page, browser and language, from the widget's `page` and the
 * request headers: only well-formed values, cut to the context value bound.
 */
export function visitorDetails(
  page: string | undefined,
  userAgent: string | undefined,
  acceptLanguage: string | undefined,
): VisitorDetails {
  const about: VisitorDetails = {};
  try {
    const url = page ? new URL(page) : null;
    if (url && (url.protocol === "https:" || url.protocol === "http:")) {
      about.pageUrl = url.href.slice(0, 1000);
    }
  } catch { /* not a URL: left out */ }
  if (userAgent?.trim()) about.userAgent = userAgent.trim().slice(0, 300);
  const language = acceptLanguage?.split(",")[0]?.split(";")[0]?.trim();
  if (language && /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(language)) about.language = language;
  return about;
}

/**
 * Stores a visitor's message: the first one opens a conversation (Pending, on
 * the site's team queue); the engine takes the context and user details held
 * for it (addContext/setUser before) in the same commit. The same clientId
 * again returns the stored message. The browser details (`about`: page,
 * browser, language) go along as context unless they would break the context
 * bounds: then the message goes without them.
 */
export async function storeVisitorMessage(
  engine: Engine,
  access: VisitorAccess,
  input: { text: string; clientId: string; attachments?: string[] },
  about: VisitorDetails = {},
): Promise<{ message: CustomerMessage; conversation: Conversation }> {
  const receive = (context: VisitorDetails) =>
    receiveCustomerMessage(engine, {
      channel: "webchat",
      contact: { webVisitorId: access.claims.visitorId },
      clientId: input.clientId,
      text: input.text,
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
      ...(Object.keys(context).length ? { context: { ...context } } : {}),
      teamId: access.site.teamId,
    });
  let result;
  try {
    result = await receive(about);
  } catch (err) {
    // The page's own context filled the bounds: the message still goes, without the details.
    if (
      !(err instanceof AppError && err.code.startsWith("context_")) || !Object.keys(about).length
    ) throw err;
    result = await receive({});
  }
  const message = toCustomerMessage(result.message);
  if (!message) throw new AppError(409, "busy", "The message is not visible; try again.");
  return { message, conversation: result.conversation };
}

/** {@link storeVisitorMessage}, answered with the conversation as the widget shows it. */
export async function sendVisitorMessage(
  engine: Engine,
  access: VisitorAccess,
  input: { text: string; clientId: string; attachments?: string[] },
  about: VisitorDetails = {},
): Promise<{ message: CustomerMessage; conversation: VisitorConversationView }> {
  const { kv } = engine;
  const { message, conversation } = await storeVisitorMessage(engine, access, input, about);
  return { message, conversation: await visitorConversationView(kv, conversation) };
}

/**
 * Merges context and user details: into the open conversation live (the
 * agent's Context view updates), or kept for the first message when there is
 * none. User details reach the contact with the visitor's next message.
 * 400 (nothing stored) beyond the engine's bounds.
 */
export async function mergeVisitorContext(
  engine: Engine,
  access: VisitorAccess,
  patch: { context?: Record<string, unknown>; user?: VisitorUser },
): Promise<{ context: ContextData; conversationId: string | null }> {
  const { kv } = engine;
  const visitorId = access.claims.visitorId;
  const contact = await findContact(kv, "webchat", visitorId);
  const open = contact ? await getOpenConversation(kv, contact.id, "webchat") : null;
  if (open && patch.context && Object.keys(patch.context).length) {
    try {
      // mergeContext checks every value with the engine's rule; unknown shapes get a 400 there.
      const context = await mergeContext(
        engine,
        open.id,
        patch.context as Record<string, ContextValue | null>,
      );
      if (patch.user) await holdCustomerDetails(kv, "webchat", visitorId, { user: patch.user });
      return { context, conversationId: open.id };
    } catch (err) {
      // Closed between the read and the merge: keep it for the next conversation.
      if (!(err instanceof AppError && err.code === "conversation_closed")) throw err;
    }
  }
  const kept = await holdCustomerDetails(kv, "webchat", visitorId, patch);
  return { context: open ? open.context : kept.context, conversationId: open?.id ?? null };
}
