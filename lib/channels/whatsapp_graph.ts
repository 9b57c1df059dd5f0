/**
 * A small client for Meta's Graph API (WhatsApp Cloud API): send a text
 * message, look up and download media, check the connection. Every call goes
 * to `{graphUrl}/{graphVersion}/...` with the bearer token, so tests point
 * `graphUrl` at a fake server on loopback.
 *
 * Failures are classified once, here ({@link classifyGraphError}): transient
 * ones (network, 5xx, 429, throughput and rate-limit codes) are retried by the
 * delivery job; permanent ones fail the message with a readable reason; 131047
 * means the 24-hour customer-service window is closed.
 */
import type { WhatsAppSettings } from "../store/whatsapp_config.ts";

/** Codes Meta documents as temporary or rate limits: try again later. */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  1, // API unknown (often transient)
  2, // API service temporarily unavailable
  4, // application request limit
  17, // user request limit
  341, // application limit
  613, // calls within one hour exceeded
  80007, // WhatsApp Business account rate limit
  130429, // Cloud API throughput reached
  131000, // something went wrong (Meta advises retrying)
  131016, // service unavailable
  131048, // spam rate limit
  131056, // pair rate limit (too many messages to one user)
  133004, // server temporarily unavailable
]);

/** 131047: re-engagement message, i.e. more than 24 hours since the customer last wrote. */
export const WINDOW_CLOSED_CODE = 131047;

/** Readable reasons for the permanent failures an agent is most likely to meet. */
const REASONS: Record<number, string> = {
  [WINDOW_CLOSED_CODE]:
    "More than 24 hours since the customer's last message: WhatsApp accepts only template messages until they write again.",
  190: "The WhatsApp access token is invalid or expired; an admin must update it.",
  131026: "WhatsApp could not deliver the message (the number may not use WhatsApp).",
  131030: "The recipient is not in the allowed list of this test number.",
  131031: "The WhatsApp Business account is locked.",
  131051: "WhatsApp does not support this message type.",
  131053: "WhatsApp could not upload the media.",
  132000:
    "The template's variables do not match what WhatsApp expects (wrong number of values); an admin should refresh the templates.",
  132001:
    "WhatsApp has no such template in this language (it may have been deleted); an admin should refresh the templates.",
  132005: "A filled-in template is too long for WhatsApp; shorten the values.",
  132007: "WhatsApp refused the filled-in template under its content policy.",
  132012:
    "A template value has the wrong format for WhatsApp (e.g. text where a date or currency is expected).",
  132015: "The template is paused by WhatsApp for low quality; choose another one.",
  132016: "The template is disabled by WhatsApp; choose another one.",
  132018: "A template value has line breaks, tabs or too many spaces, which WhatsApp refuses.",
  368: "The WhatsApp Business account is temporarily blocked for policy violations.",
};

/** The readable reason for a Meta error code we know, else null. */
export function reasonForCode(code: number): string | null {
  return REASONS[code] ?? null;
}

export interface GraphFailure {
  /** Worth trying again later (network, 5xx, 429, rate limits). */
  retry: boolean;
  /** The 24-hour window is closed (131047). */
  windowClosed: boolean;
  /** HTTP status, or null for a network error or timeout. */
  status: number | null;
  /** Meta's error code, when it sent one. */
  code: number | null;
  /** What an agent reads next to the failed message. */
  reason: string;
  /** From a Retry-After header, when present. */
  retryAfterMs: number | null;
}

export type GraphResult<T> = { ok: true; value: T } | { ok: false; failure: GraphFailure };

interface GraphErrorBody {
  error?: {
    message?: string;
    code?: number;
    error_subcode?: number;
    error_user_title?: string;
    error_user_msg?: string;
    error_data?: { details?: string };
  };
}

/** Decides whether a failed Graph call is worth retrying, and says why it failed. */
export function classifyGraphError(
  status: number,
  body: unknown,
  retryAfter: string | null = null,
): GraphFailure {
  const err = (body as GraphErrorBody | null)?.error;
  const code = typeof err?.code === "number" ? err.code : null;
  const retry = status === 429 || status >= 500 || (code !== null && RETRYABLE_CODES.has(code));
  const detail = err?.error_data?.details ?? err?.error_user_msg ?? err?.message;
  const reason = (code !== null ? REASONS[code] : undefined) ??
    (retry
      ? `WhatsApp is busy or rate-limited (${code ?? status}); retrying.`
      : `WhatsApp refused the message (${code ?? `HTTP ${status}`})${
        detail ? `: ${String(detail).slice(0, 300)}` : "."
      }`);
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  return {
    retry,
    windowClosed: code === WINDOW_CLOSED_CODE,
    status,
    code,
    reason,
    retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null,
  };
}

function networkFailure(err: unknown): GraphFailure {
  const timeout = err instanceof DOMException && err.name === "TimeoutError";
  return {
    retry: true,
    windowClosed: false,
    status: null,
    code: null,
    reason: timeout
      ? "WhatsApp did not answer in time; retrying."
      : "Could not reach WhatsApp; retrying.",
    retryAfterMs: null,
  };
}

type Target = Pick<WhatsAppSettings, "graphUrl" | "graphVersion" | "accessToken">;

const TIMEOUT_MS = 15_000;

/** One Graph API call with the token and a timeout; failures classified. */
export async function graphFetch(
  target: Target,
  path: string,
  init: RequestInit = {},
): Promise<GraphResult<Response>> {
  const url = `${target.graphUrl}/${target.graphVersion}/${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { authorization: `Bearer ${target.accessToken ?? ""}`, ...init.headers },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, failure: networkFailure(err) };
  }
  if (res.ok) return { ok: true, value: res };
  let body: unknown = null;
  try {
    body = JSON.parse(await res.text());
  } catch { /* not JSON: classify by status */ }
  return {
    ok: false,
    failure: classifyGraphError(res.status, body, res.headers.get("retry-after")),
  };
}

/** The JSON object of a Graph answer ({} when it is not one). */
export async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  try {
    const value = await res.json();
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

/** Who a reply goes to: the phone number when Meta shared it, else the business-scoped user id. */
export interface Recipient {
  waId: string | null;
  userId: string | null;
}

/** The JSON body of any message: the recipient, then `fields` (`type` and its object). */
export function messageBody(
  to: Recipient,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...(to.waId ? { to: to.waId } : { recipient: to.userId }),
    ...fields,
  };
}

/** The JSON body of a free-form text reply, as the Cloud API expects it. */
export function textMessageBody(to: Recipient, text: string): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...(to.waId ? { to: to.waId } : { recipient: to.userId }),
    type: "text",
    text: { preview_url: false, body: text },
  };
}

/** The JSON body of a template message (the `template` object from whatsapp_templates.ts). */
export function templateMessageBody(to: Recipient, template: unknown): Record<string, unknown> {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    ...(to.waId ? { to: to.waId } : { recipient: to.userId }),
    type: "template",
    template,
  };
}

/**
 * POSTs a text message to `{graph}/{version}/{phoneNumberId}/messages` and
 * returns Meta's message id (`wamid...`), which later status webhooks carry.
 */
export async function sendWhatsAppText(
  settings: WhatsAppSettings,
  to: Recipient,
  text: string,
): Promise<GraphResult<{ wamid: string }>> {
  return await sendWhatsAppMessage(settings, textMessageBody(to, text));
}

/** POSTs any message body (text or template) to the messages endpoint; Meta's wamid back. */
export async function sendWhatsAppMessage(
  settings: WhatsAppSettings,
  body: Record<string, unknown>,
): Promise<GraphResult<{ wamid: string }>> {
  const result = await graphFetch(settings, `${settings.phoneNumberId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!result.ok) return result;
  const answer = await jsonOf(result.value);
  const wamid = (answer.messages as { id?: unknown }[] | undefined)?.[0]?.id;
  if (typeof wamid !== "string" || !wamid) {
    return {
      ok: false,
      failure: {
        retry: false,
        windowClosed: false,
        status: result.value.status,
        code: null,
        reason: "WhatsApp accepted the message but returned no message id.",
        retryAfterMs: null,
      },
    };
  }
  return { ok: true, value: { wamid } };
}

export interface MediaInfo {
  url: string;
  mimeType: string | null;
  fileSize: number | null;
}

/** Looks up a media id: a short-lived download URL and its type. */
export async function getWhatsAppMedia(
  settings: WhatsAppSettings,
  mediaId: string,
): Promise<GraphResult<MediaInfo>> {
  const result = await graphFetch(settings, encodeURIComponent(mediaId));
  if (!result.ok) return result;
  const body = await jsonOf(result.value);
  if (typeof body.url !== "string") {
    return {
      ok: false,
      failure: { ...classifyGraphError(502, null), retry: false, reason: "No media URL returned." },
    };
  }
  return {
    ok: true,
    value: {
      url: body.url,
      mimeType: typeof body.mime_type === "string" ? body.mime_type : null,
      fileSize: typeof body.file_size === "number" ? body.file_size : null,
    },
  };
}

/** Downloads media from the URL {@link getWhatsAppMedia} gave (it needs the bearer token too). */
export async function downloadWhatsAppMedia(
  settings: WhatsAppSettings,
  url: string,
): Promise<GraphResult<Response>> {
  try {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${settings.accessToken ?? ""}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.ok) return { ok: true, value: res };
    await res.body?.cancel();
    return { ok: false, failure: classifyGraphError(res.status, null) };
  } catch (err) {
    return { ok: false, failure: networkFailure(err) };
  }
}

/** The test's answer when the settings lack what a call needs (the console words it its way). */
export const CONNECTION_NOT_SET = "Set the phone number id and the access token first.";

/** What the admin console's "Test connection" shows. */
export interface ConnectionCheck {
  ok: boolean;
  /** e.g. "Connected to +1 555-0100 (Parley Support)". */
  message: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
}

/** GETs the phone number id with the token: proves the URL, version, id and token work together. */
export async function checkGraphConnection(settings: WhatsAppSettings): Promise<ConnectionCheck> {
  if (!settings.phoneNumberId || !settings.accessToken) {
    return {
      ok: false,
      message: CONNECTION_NOT_SET,
      displayPhoneNumber: null,
      verifiedName: null,
    };
  }
  const result = await graphFetch(
    settings,
    `${encodeURIComponent(settings.phoneNumberId)}?fields=display_phone_number,verified_name`,
  );
  if (!result.ok) {
    return {
      ok: false,
      message: result.failure.reason,
      displayPhoneNumber: null,
      verifiedName: null,
    };
  }
  const body = await jsonOf(result.value);
  const display = typeof body.display_phone_number === "string" ? body.display_phone_number : null;
  const name = typeof body.verified_name === "string" ? body.verified_name : null;
  return {
    ok: true,
    message: `Connected to ${display ?? settings.phoneNumberId}${name ? ` (${name})` : ""}.`,
    displayPhoneNumber: display,
    verifiedName: name,
  };
}
