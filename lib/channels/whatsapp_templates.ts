/**
 * WhatsApp message templates: reading the WhatsApp Business Account's
 * templates from the Graph API (`GET /{waba-id}/message_templates`, every
 * page) into Parley's records and the KV cache, and sending one in a
 * conversation.
 *
 * Decisions:
 * - Refreshed on demand (the admin console's "Refresh templates"); a failed
 *   refresh keeps the cached list and says why. Agents read the cache only.
 * - A template message is an agent message of kind "template": its text is
 *   the filled-in template (what the customer reads), its data keeps the name,
 *   language and values, and it leaves through the same outbound queue as a
 *   reply (whatsapp_outbound.ts), with the same delivery states. Templates are
 *   allowed in or out of the 24-hour window (that is what they are for).
 * - Only approved templates whose variables are text in the header or body can
 *   be sent from Parley (lib/domain/whatsapp_templates.ts says why others
 *   cannot).
 */
import { z } from "zod";
import {
  checkTemplateValues,
  isSendable,
  placeholdersIn,
  renderTemplate,
  templateMessageData,
  type TemplateVariable,
  type WhatsAppTemplate,
} from "../domain/whatsapp_templates.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import type { Agent } from "../store/agents.ts";
import { appendStaffMessage } from "../store/engine/messages.ts";
import type { Engine } from "../store/engine/engine.ts";
import type { Message } from "../domain/engine_types.ts";
import { loadWhatsAppSettings } from "../store/whatsapp_config.ts";
import { keys } from "../store/keys.ts";
import {
  getCachedTemplate,
  getTemplatesState,
  listCachedTemplates,
  noteTemplatesFailure,
  replaceCachedTemplates,
  type TemplatesState,
} from "../store/whatsapp_templates.ts";
import type { Config } from "../../fresh.config.ts";
import { graphFetch, jsonOf } from "./whatsapp_graph.ts";

/** Pages read per refresh (100 templates a page). */
const MAX_PAGES = 20;

const componentSchema = z.object({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  example: z.object({
    header_text: z.array(z.string()).optional(),
    body_text: z.array(z.array(z.string())).optional(),
    header_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() }))
      .optional(),
    body_text_named_params: z.array(z.object({ param_name: z.string(), example: z.string() }))
      .optional(),
  }).passthrough().optional(),
  buttons: z.array(
    z.object({ type: z.string(), text: z.string().optional(), url: z.string().optional() })
      .passthrough(),
  ).optional(),
}).passthrough();

const templateSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1).max(512),
  language: z.string().min(1).max(20),
  status: z.string().optional(),
  category: z.string().optional(),
  parameter_format: z.string().optional(),
  components: z.array(componentSchema).max(20).default([]),
}).passthrough();

/** Buttons Parley can send as they are (no value to fill). */
const PLAIN_BUTTONS = new Set(["QUICK_REPLY", "PHONE_NUMBER", "URL", "VOICE_CALL"]);

/** One template of Meta's list as Parley keeps it; null when it is not one. */
export function templateFromGraph(raw: unknown): WhatsAppTemplate | null {
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) return null;
  const t = parsed.data;
  const named = t.parameter_format?.toUpperCase() === "NAMED";
  const find = (type: string) => t.components.find((c) => c.type.toUpperCase() === type);
  const header = find("HEADER");
  const body = find("BODY");
  const footer = find("FOOTER");
  const buttons = find("BUTTONS")?.buttons ?? [];
  let unsupported: string | null = null;
  if (!body?.text) unsupported = "It has no body text.";
  if (header && (header.format ?? "TEXT").toUpperCase() !== "TEXT") {
    unsupported =
      `Its header is ${header.format?.toLowerCase()} media, which Parley cannot attach.`;
  }
  for (const b of buttons) {
    const type = b.type.toUpperCase();
    if (!PLAIN_BUTTONS.has(type) || (type === "URL" && /\{\{/.test(b.url ?? ""))) {
      unsupported = "It has a button that needs a value, which Parley cannot fill.";
    }
  }
  const examples = (c: typeof header, component: "header" | "body") => {
    const positional = component === "header"
      ? c?.example?.header_text
      : c?.example?.body_text?.[0];
    const byName = component === "header"
      ? c?.example?.header_text_named_params
      : c?.example?.body_text_named_params;
    return (key: string, i: number) =>
      byName?.find((p) => p.param_name === key)?.example ?? positional?.[i] ?? null;
  };
  const variablesOf = (c: typeof header, component: "header" | "body"): TemplateVariable[] => {
    const example = examples(c, component);
    return placeholdersIn(c?.text ?? "").map((key, i) => ({
      component,
      key,
      example: example(key, i),
    }));
  };
  const headerText = header && (header.format ?? "TEXT").toUpperCase() === "TEXT"
    ? header.text ?? null
    : null;
  const variables = [
    ...(headerText ? variablesOf(header, "header") : []),
    ...variablesOf(body, "body"),
  ];
  if (!named && variables.some((v) => !/^\d+$/.test(v.key))) {
    unsupported ??= "Its variables mix names and numbers.";
  }
  return {
    id: t.id ?? null,
    name: t.name,
    language: t.language,
    status: (t.status ?? "UNKNOWN").toUpperCase(),
    category: t.category?.toUpperCase() ?? null,
    parameterFormat: named ? "named" : "positional",
    header: headerText,
    body: body?.text ?? "",
    footer: footer?.text ?? null,
    buttons: buttons.map((b) => b.text ?? b.type).slice(0, 10),
    variables,
    unsupported,
  };
}

/** The list and cache state an admin or agent sees. */
export interface TemplatesView {
  items: WhatsAppTemplate[];
  state: TemplatesState;
}

/** The cached templates (agents: only the ones they can send). */
export async function listWhatsAppTemplates(
  kv: Deno.Kv,
  options: { sendableOnly?: boolean } = {},
): Promise<TemplatesView> {
  const [items, state] = await Promise.all([listCachedTemplates(kv), getTemplatesState(kv)]);
  return { items: options.sendableOnly ? items.filter(isSendable) : items, state };
}

/**
 * Reads every template of the configured WABA from the Graph API and replaces
 * the cache. `{ok: false, message}` (cache unchanged) when the WABA id or token
 * is missing or Meta refuses.
 */
/** A refresh's answer when the settings lack what it needs (the console words it its way). */
export const TEMPLATES_NOT_SET = "Set the WhatsApp Business Account id and the access token first.";
/** How a refresh refused by Meta or the network starts; the reason follows. */
export const TEMPLATES_UNREADABLE = "The templates could not be read: ";

export async function refreshWhatsAppTemplates(
  deps: { kv: Deno.Kv; config: Config },
): Promise<{ ok: boolean; message: string } & TemplatesView> {
  const settings = await loadWhatsAppSettings(deps);
  const failed = async (message: string) => {
    await noteTemplatesFailure(deps.kv, message);
    return { ok: false, message, ...(await listWhatsAppTemplates(deps.kv)) };
  };
  if (!settings.businessAccountId || !settings.accessToken) {
    return await failed(TEMPLATES_NOT_SET);
  }
  const templates: WhatsAppTemplate[] = [];
  let path: string | null = `${encodeURIComponent(settings.businessAccountId)}/message_templates` +
    "?fields=id,name,language,status,category,parameter_format,components&limit=100";
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const result = await graphFetch(settings, path);
    if (!result.ok) {
      return await failed(TEMPLATES_UNREADABLE + result.failure.reason);
    }
    const body = await jsonOf(result.value);
    for (const raw of Array.isArray(body.data) ? body.data : []) {
      const t = templateFromGraph(raw);
      if (t) templates.push(t);
    }
    const after = body.paging as { cursors?: { after?: unknown }; next?: unknown } | undefined;
    path = after?.next && typeof after.cursors?.after === "string"
      ? `${encodeURIComponent(settings.businessAccountId)}/message_templates` +
        `?fields=id,name,language,status,category,parameter_format,components&limit=100&after=${
          encodeURIComponent(after.cursors.after)
        }`
      : null;
  }
  await replaceCachedTemplates(deps.kv, settings.businessAccountId, templates);
  const approved = templates.filter(isSendable).length;
  return {
    ok: true,
    message: `${templates.length} template${
      templates.length === 1 ? "" : "s"
    } read; ${approved} can be sent.`,
    ...(await listWhatsAppTemplates(deps.kv)),
  };
}

export interface TemplateSendInput {
  clientId: string;
  name: string;
  language: string;
  /** Values by `component:key` (e.g. `body:1`, `body:customer_name`). */
  values: Record<string, string>;
}

/**
 * Sends an approved template in a WhatsApp conversation: checks the template
 * (cached, approved, sendable) and its values, then commits it through the
 * engine as an agent message of kind "template" that the outbound queue
 * delivers. 404 `template_not_found`, 409 `template_not_sendable`, 400
 * `invalid` with `details.fields` for values; the engine's own refusals
 * (not_your_chat, conversation_closed...) as for any message.
 */
export async function sendTemplateMessage(
  engine: Engine,
  agent: Agent,
  conversationId: string,
  input: TemplateSendInput,
): Promise<{ message: Message; duplicate: boolean }> {
  // A repeat of a stored send answers with that message even if the template changed since
  // (the engine's clientId check comes before anything about the text).
  const repeat = await engine.kv.get(
    keys.messageClientId(`staff:${conversationId}`, input.clientId),
  );
  if (repeat.value) {
    return await appendStaffMessage(engine, conversationId, agent, {
      text: input.name,
      clientId: input.clientId,
    });
  }
  const template = await getCachedTemplate(engine.kv, input.name, input.language);
  if (!template) {
    throw notFound(`Template ${input.name} (${input.language})`);
  }
  if (!isSendable(template)) {
    throw conflict(
      "template_not_sendable",
      template.status !== "APPROVED"
        ? `WhatsApp has not approved this template (status ${template.status}).`
        : `Parley cannot send this template: ${template.unsupported}`,
    );
  }
  const problems = checkTemplateValues(template, input.values);
  if (Object.keys(problems).length) {
    const first = Object.entries(problems)[0];
    throw badRequest("invalid", `${first[0]}: ${first[1]}`, { fields: problems });
  }
  return await appendStaffMessage(engine, conversationId, agent, {
    text: renderTemplate(template, input.values).slice(0, 4096),
    clientId: input.clientId,
    template: templateMessageData(template, input.values),
  });
}
