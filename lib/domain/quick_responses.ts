/**
 * Quick-response templates: parsing, validation and filling. Pure functions with
 * no I/O and no server-only imports, so the workspace islands use the very same
 * rules in the browser as the server does when it validates a saved body.
 *
 * One syntax, double braces:
 *
 * | placeholder              | filled from                                        |
 * | ------------------------ | -------------------------------------------------- |
 * | `{{contact.name}}`       | the conversation's contact (also `contact.firstName`, `contact.email`, `contact.phone`) |
 * | `{{agent.name}}`         | the agent sending (also `agent.firstName`)          |
 * | `{{context.KEY}}`        | a context value the web widget attached (`addContext({ KEY: value })`) |
 * | `{{field:Order number}}` | a custom field the agent types in before sending    |
 *
 * Spaces just inside the braces are ignored (`{{ contact.name }}`). A single brace is
 * ordinary text; an unclosed `{{`, a stray `}}`, an empty or unknown placeholder is a
 * syntax error with a message naming it. A placeholder without a value is reported as
 * missing by {@link fillTemplate}, never sent as a blank; {@link draftFromTemplate} turns
 * each one into a custom field (`{{field:Customer email}}`), so the agent always has
 * something to fill in.
 *
 * @example
 * const result = fillTemplate("Hi {{contact.firstName}}, order {{field:Order number}}", {
 *   contact: { name: "Ada Lovelace" },
 *   fields: { "Order number": "A-17" },
 * });
 * // result.ok === true, result.text === "Hi Ada, order A-17"
 */

/** The built-in placeholders, with what each means (shown in the editor's help). */
export const BUILTIN_PLACEHOLDERS = {
  "contact.name": "the customer's name",
  "contact.firstName": "the first word of the customer's name",
  "contact.email": "the customer's email",
  "contact.phone": "the customer's phone number",
  "agent.name": "your name",
  "agent.firstName": "the first word of your name",
} as const;

export type BuiltinName = keyof typeof BUILTIN_PLACEHOLDERS;

const MAX_KEY = 100;
const MAX_LABEL = 60;

/** One placeholder found in a template; `raw` is the text as written, braces included. */
export type Placeholder =
  | { kind: "builtin"; name: BuiltinName; raw: string }
  | { kind: "context"; key: string; raw: string }
  | { kind: "field"; label: string; raw: string };

/** A template split into literal text and placeholders, in order. */
export type TemplatePart = { text: string } | { placeholder: Placeholder };

/** A syntax problem: what is wrong, and where (0-based character index). */
export interface TemplateIssue {
  index: number;
  message: string;
}

/** Values available when filling; anything absent or blank counts as missing. */
export interface FillValues {
  contact?: { name?: string | null; email?: string | null; phone?: string | null } | null;
  agent?: { name?: string | null } | null;
  context?: Record<string, unknown> | null;
  /** Custom fields by label, as the agent typed them. */
  fields?: Record<string, string | null | undefined> | null;
}

/** Canonical `{{...}}` form of a placeholder, the key used in "missing" reports. */
export function placeholderText(p: Placeholder): string {
  if (p.kind === "builtin") return `{{${p.name}}}`;
  if (p.kind === "context") return `{{context.${p.key}}}`;
  return `{{field:${p.label}}}`;
}

function classify(inner: string, index: number): Placeholder | TemplateIssue {
  const raw = `{{${inner}}}`;
  const body = inner.trim();
  if (body === "") return { index, message: `Empty placeholder {{}} at character ${index + 1}.` };
  if (body.includes("{")) {
    return { index, message: `Placeholder at character ${index + 1} contains "{".` };
  }
  if (body in BUILTIN_PLACEHOLDERS) return { kind: "builtin", name: body as BuiltinName, raw };
  if (body.startsWith("context.")) {
    const key = body.slice("context.".length).trim();
    if (key === "") {
      return { index, message: `{{context.}} needs a key, e.g. {{context.plan}}.` };
    }
    if (key.length > MAX_KEY) {
      return { index, message: `Context key at character ${index + 1} is over ${MAX_KEY} chars.` };
    }
    return { kind: "context", key, raw };
  }
  if (body.startsWith("field:")) {
    const label = body.slice("field:".length).trim();
    if (label === "") {
      return { index, message: `{{field:}} needs a label, e.g. {{field:Order number}}.` };
    }
    if (label.length > MAX_LABEL) {
      return {
        index,
        message: `Field label at character ${index + 1} is over ${MAX_LABEL} chars.`,
      };
    }
    return { kind: "field", label, raw };
  }
  const known = Object.keys(BUILTIN_PLACEHOLDERS).join(", ");
  return {
    index,
    message: `Unknown placeholder {{${body}}} at character ${
      index + 1
    }. Use one of ${known}, context.KEY or field:Label.`,
  };
}

/** Splits a template into text and placeholders, collecting every syntax issue. */
export function parseTemplate(body: string): { parts: TemplatePart[]; issues: TemplateIssue[] } {
  const parts: TemplatePart[] = [];
  const issues: TemplateIssue[] = [];
  let text = "";
  let i = 0;
  const pushText = () => {
    if (text) parts.push({ text });
    text = "";
  };
  while (i < body.length) {
    const open = body.indexOf("{{", i);
    const stray = body.indexOf("}}", i);
    if (stray !== -1 && (open === -1 || stray < open)) {
      issues.push({
        index: stray,
        message: `"}}" at character ${stray + 1} has no opening "{{".`,
      });
      text += body.slice(i, stray + 2);
      i = stray + 2;
      continue;
    }
    if (open === -1) {
      text += body.slice(i);
      break;
    }
    text += body.slice(i, open);
    const close = body.indexOf("}}", open + 2);
    const nextOpen = body.indexOf("{{", open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      issues.push({
        index: open,
        message: `"{{" at character ${open + 1} is not closed with "}}".`,
      });
      text += "{{";
      i = open + 2;
      continue;
    }
    const found = classify(body.slice(open + 2, close), open);
    if ("message" in found) {
      issues.push(found);
      text += body.slice(open, close + 2);
    } else {
      pushText();
      parts.push({ placeholder: found });
    }
    i = close + 2;
  }
  pushText();
  return { parts, issues };
}

/** The syntax problems of a template as readable sentences; empty when it is valid. */
export function validateTemplate(body: string): string[] {
  return parseTemplate(body).issues.map((issue) => issue.message);
}

/** Each distinct placeholder of a valid template, in order of first use. */
export function listPlaceholders(body: string): Placeholder[] {
  const seen = new Set<string>();
  const out: Placeholder[] = [];
  for (const part of parseTemplate(body).parts) {
    if (!("placeholder" in part)) continue;
    const key = placeholderText(part.placeholder);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(part.placeholder);
    }
  }
  return out;
}

/** The custom field labels the agent must fill before sending, in order. */
export function customFields(body: string): string[] {
  return listPlaceholders(body).flatMap((p) => p.kind === "field" ? [p.label] : []);
}

function present(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === "string" ? value : String(value);
  return text.trim() === "" ? null : text;
}

function firstWord(name: string | null): string | null {
  return name ? name.trim().split(/\s+/)[0] : null;
}

/** The value a placeholder takes with `values`, or null when missing or blank. */
export function resolvePlaceholder(p: Placeholder, values: FillValues): string | null {
  switch (p.kind) {
    case "builtin": {
      const contactName = present(values.contact?.name);
      const agentName = present(values.agent?.name);
      switch (p.name) {
        case "contact.name":
          return contactName;
        case "contact.firstName":
          return firstWord(contactName);
        case "contact.email":
          return present(values.contact?.email);
        case "contact.phone":
          return present(values.contact?.phone);
        case "agent.name":
          return agentName;
        case "agent.firstName":
          return firstWord(agentName);
      }
      return null;
    }
    case "context": {
      const context = values.context ?? {};
      return Object.hasOwn(context, p.key) ? present(context[p.key]) : null;
    }
    case "field": {
      const fields = values.fields ?? {};
      return Object.hasOwn(fields, p.label) ? present(fields[p.label]) : null;
    }
  }
}

/** The outcome of filling: the text to send, or why it cannot be sent yet. */
export type FillResult =
  | { ok: true; text: string }
  | { ok: false; missing: Placeholder[]; issues: string[] };

/**
 * Fills a template. Succeeds only when the template is valid and every
 * placeholder has a non-blank value; otherwise lists what is missing (each
 * placeholder once) and the syntax issues, and returns no text.
 */
export function fillTemplate(body: string, values: FillValues): FillResult {
  const { parts, issues } = parseTemplate(body);
  const missing: Placeholder[] = [];
  const seen = new Set<string>();
  let text = "";
  for (const part of parts) {
    if ("text" in part) {
      text += part.text;
      continue;
    }
    const value = resolvePlaceholder(part.placeholder, values);
    if (value === null) {
      const key = placeholderText(part.placeholder);
      if (!seen.has(key)) missing.push(part.placeholder);
      seen.add(key);
    } else {
      text += value;
    }
  }
  if (issues.length || missing.length) {
    return { ok: false, missing, issues: issues.map((i) => i.message) };
  }
  return { ok: true, text };
}

/**
 * The label of the fill-in field that stands for a placeholder without a value
 * (a contact without an email, a context key the page never sent).
 */
export function fillInLabel(p: Placeholder): string {
  if (p.kind === "field") return p.label;
  if (p.kind === "context") return p.key.replace(/[{}]/g, "").slice(0, MAX_LABEL) || "Value";
  return FILL_IN_LABELS[p.name];
}

const FILL_IN_LABELS: Record<BuiltinName, string> = {
  "contact.name": "Customer name",
  "contact.firstName": "Customer first name",
  "contact.email": "Customer email",
  "contact.phone": "Customer phone",
  "agent.name": "Your name",
  "agent.firstName": "Your first name",
};

/**
 * The text an agent edits after choosing a quick response (or before sending
 * a typed template): every placeholder with a value is filled, every one
 * without becomes a custom field `{{field:Label}}` for the agent to type in.
 * Invalid syntax stays as written (the send reports it).
 */
export function draftFromTemplate(body: string, values: FillValues): string {
  return parseTemplate(body).parts.map((part) => {
    if ("text" in part) return part.text;
    const value = resolvePlaceholder(part.placeholder, values);
    return value ?? `{{field:${fillInLabel(part.placeholder)}}}`;
  }).join("");
}

/** A preview segment: literal text, a filled placeholder, or a missing one (value null). */
export type PreviewSegment =
  | { text: string }
  | { placeholder: string; value: string | null };

/** Splits a template into segments for a live preview that highlights what is missing. */
export function previewTemplate(body: string, values: FillValues): PreviewSegment[] {
  return parseTemplate(body).parts.map((part) =>
    "text" in part ? part : {
      placeholder: placeholderText(part.placeholder),
      value: resolvePlaceholder(part.placeholder, values),
    }
  );
}

/** Sample values for previews in the admin console. */
export const SAMPLE_VALUES: FillValues = {
  contact: { name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20 7946 0018" },
  agent: { name: "Sam Rivera" },
  context: { plan: "Pro", orderId: "A-1042", page: "/pricing" },
  fields: {},
};
