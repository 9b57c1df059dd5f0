/**
 * WhatsApp message templates as rules without I/O, shared by the server (the
 * Graph API list → records, the send route, the outbound job) and the
 * composer in the browser (variables, prefill, preview), so both fill and
 * render a template the same way.
 *
 * A template has an optional text header, a body, an optional footer and
 * buttons. Variables are positional (`{{1}}`, `{{2}}`…) or named
 * (`{{customer_name}}`), per Meta's `parameter_format`. Parley sends
 * templates whose variables are all text in the header or body; templates
 * with a media header or buttons that take a value are listed but not
 * sendable (`unsupported` says why).
 */

export type TemplateComponent = "header" | "body";

/** One value to fill before sending. */
export interface TemplateVariable {
  component: TemplateComponent;
  /** "1", "2"… for positional templates; the parameter name for named ones. */
  key: string;
  /** Meta's example value, when the template has one. */
  example: string | null;
}

/** A message template as Parley keeps it (from `GET /{waba-id}/message_templates`). */
export interface WhatsAppTemplate {
  id: string | null;
  name: string;
  /** Meta's language (and locale) code, e.g. `en_US`. */
  language: string;
  /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED… (only APPROVED can be sent). */
  status: string;
  category: string | null;
  parameterFormat: "positional" | "named";
  header: string | null;
  body: string;
  footer: string | null;
  /** Button labels (shown in the preview). */
  buttons: string[];
  variables: TemplateVariable[];
  /** Why Parley cannot send it (null when it can, given APPROVED). */
  unsupported: string | null;
}

/** What a template message keeps: enough to send it (again) exactly as the agent filled it. */
export interface TemplateMessageData {
  name: string;
  language: string;
  parameterFormat: "positional" | "named";
  /** The filled variables, in the template's order. */
  parameters: { component: TemplateComponent; key: string; value: string }[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Variable keys in `text`, in first-appearance order, without repeats. */
export function placeholdersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

/** The id of a variable among a template's values. */
export const valueKey = (v: Pick<TemplateVariable, "component" | "key">) =>
  `${v.component}:${v.key}`;

/** The longest value accepted for one variable (Meta allows more in a lone body; keep it readable). */
export const MAX_VALUE_CHARS = 1024;

/**
 * Values left to fill, or invalid: empty, too long, or with a newline/tab or
 * more than four spaces in a row (Meta refuses those, 132018).
 */
export function checkTemplateValues(
  template: WhatsAppTemplate,
  values: Record<string, string>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const v of template.variables) {
    const value = (values[valueKey(v)] ?? "").trim();
    const id = valueKey(v);
    if (value === "") problems[id] = "Fill this in.";
    else if (value.length > MAX_VALUE_CHARS) {
      problems[id] = `At most ${MAX_VALUE_CHARS} characters.`;
    } else if (/[\n\t]| {5,}/.test(value)) {
      problems[id] = "No line breaks, tabs or runs of more than four spaces.";
    }
  }
  return problems;
}

function fill(text: string, component: TemplateComponent, values: Record<string, string>) {
  return text.replace(PLACEHOLDER, (raw, key: string) => {
    const value = values[`${component}:${key}`]?.trim();
    return value ? value : raw;
  });
}

/** The text the customer will read (header, body, footer, buttons), as the preview shows it. */
export function renderTemplate(
  template: WhatsAppTemplate,
  values: Record<string, string>,
): string {
  const parts = [
    template.header ? `*${fill(template.header, "header", values)}*` : null,
    fill(template.body, "body", values),
    template.footer,
    template.buttons.length ? template.buttons.map((b) => `[${b}]`).join(" ") : null,
  ];
  return parts.filter((p): p is string => Boolean(p)).join("\n\n");
}

/** Lowercase letters and digits only: `customer_name`, `Customer Name`, `customerName` match. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** What the workspace knows to prefill from (the contact, the agent, the page's context). */
export interface PrefillSource {
  contact: { name?: string | null; email?: string | null; phone?: string | null };
  agent?: { name?: string | null };
  context?: Record<string, string | number | boolean>;
}

/**
 * Values guessed from what the workspace knows, where a variable's name
 * matches: `name`/`customer_name`/`first_name` → the contact's (first) name,
 * `email`, `phone`, `agent_name`, or a context key of the same name
 * (`order_id` ← context `orderId`). Positional variables have no names, so
 * nothing is guessed for them.
 */
export function prefillTemplateValues(
  template: WhatsAppTemplate,
  source: PrefillSource,
): Record<string, string> {
  const out: Record<string, string> = {};
  const fullName = source.contact.name?.trim() || "";
  const known: Record<string, string> = {
    name: fullName,
    customername: fullName,
    contactname: fullName,
    fullname: fullName,
    firstname: fullName.split(/\s+/)[0] ?? "",
    customerfirstname: fullName.split(/\s+/)[0] ?? "",
    email: source.contact.email ?? "",
    phone: source.contact.phone ?? "",
    agentname: source.agent?.name ?? "",
  };
  const context = new Map(
    Object.entries(source.context ?? {}).map(([k, v]) => [squash(k), String(v)]),
  );
  for (const v of template.variables) {
    if (/^\d+$/.test(v.key)) continue;
    const key = squash(v.key);
    const value = context.get(key) ?? known[key] ?? "";
    if (value.trim()) out[valueKey(v)] = value.trim().slice(0, MAX_VALUE_CHARS);
  }
  return out;
}

/** Whether an agent can send it: approved by Meta and of a shape Parley sends. */
export function isSendable(template: WhatsAppTemplate): boolean {
  return template.status === "APPROVED" && template.unsupported === null;
}

/** What a send keeps for `template` filled with `values` (see {@link checkTemplateValues} first). */
export function templateMessageData(
  template: WhatsAppTemplate,
  values: Record<string, string>,
): TemplateMessageData {
  return {
    name: template.name,
    language: template.language,
    parameterFormat: template.parameterFormat,
    parameters: template.variables.map((v) => ({
      component: v.component,
      key: v.key,
      value: (values[valueKey(v)] ?? "").trim(),
    })),
  };
}

/**
 * The Graph API `template` object of a send: name, language, and the header
 * and body parameters in the template's order (named ones carry
 * `parameter_name`).
 */
export function templateSendObject(data: TemplateMessageData) {
  const components = (["header", "body"] as const).map((component) => ({
    type: component,
    parameters: data.parameters.filter((p) => p.component === component).map((p) => ({
      type: "text",
      ...(data.parameterFormat === "named" ? { parameter_name: p.key } : {}),
      text: p.value,
    })),
  })).filter((c) => c.parameters.length > 0);
  return {
    name: data.name,
    language: { code: data.language },
    ...(components.length ? { components } : {}),
  };
}
