/**
 * The part of the widget the first paint does not need, built as its own
 * small module (`/widget-more.js`) and imported on demand by widget.js: the
 * "Download transcript" file, the optional pre-chat form (name, email) with
 * their words, and the addContext/setUser sender. Keeping them out keeps
 * widget.js within its 8 KB budget.
 */
import type { Message } from "./schemas.ts";
import { el } from "./view.ts";

/** addContext / setUser: checked, gathered and sent by widget.js through this, once it started. */
export { createContextSender } from "./context.ts";

const WORDS = {
  en: {
    you: "You",
    agent: "Agent",
    ask: "Before we start, tell us who you are.",
    name: "Name",
    email: "Email",
    start: "Start chat",
    bad: "Enter a valid email address.",
  },
  de: {
    you: "Sie",
    agent: "Mitarbeiter",
    ask: "Bevor es losgeht: Wer sind Sie?",
    name: "Name",
    email: "E-Mail",
    start: "Chat starten",
    bad: "Bitte eine gültige E-Mail-Adresse eingeben.",
  },
  es: {
    you: "Tú",
    agent: "Agente",
    ask: "Antes de empezar, dinos quién eres.",
    name: "Nombre",
    email: "Correo electrónico",
    start: "Iniciar chat",
    bad: "Escribe un correo electrónico válido.",
  },
};

function words(lang: string | undefined) {
  return WORDS[(lang ?? "").slice(0, 2).toLowerCase() as keyof typeof WORDS] ?? WORDS.en;
}

/** Saves the conversation as a plain-text file: when, who, what (never internal notes: the visitor's view). */
export function downloadTranscript(title: string, msgs: Message[], lang?: string): void {
  const w = words(lang);
  const lines = msgs.map((m) => {
    const who = m.type === "event"
      ? ""
      : `${m.author.type === "customer" ? w.you : m.author.name || w.agent}: `;
    return `[${new Date(m.createdAt).toLocaleString(lang)}] ${who}${m.text}`;
  });
  const url = URL.createObjectURL(
    new Blob([`${title}\n\n${lines.join("\n")}\n`], { type: "text/plain;charset=utf-8" }),
  );
  const a = el("a");
  a.href = url;
  a.download = `chat-transcript-${new Date().toISOString().slice(0, 10)}.txt`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const PRE_CHAT_CSS =
  `.pf{display:flex;flex-direction:column;gap:4px;padding:14px;border-top:1px solid #e5e7eb}.pf input{padding:8px 10px;border:1px solid #d1d5db;border-radius:8px}.pf button{margin-top:6px;padding:6px 12px;border-radius:8px;background:var(--pc);color:#fff;font-weight:600}.pr{color:#b91c1c;font-size:12px}`;

/** The pre-chat form: name and email (required, checked), then `done` with them. */
export function preChatForm(
  root: ShadowRoot,
  lang: string | undefined,
  done: (user: { name?: string; email: string }) => void,
): HTMLFormElement {
  const w = words(lang);
  // Its styles come with it (a constructable sheet, like the widget's own: CSP-proof).
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PRE_CHAT_CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch { /* unstyled, still usable */ }
  const form = el("form", "pf");
  form.noValidate = true;
  const field = (id: string, label: string, type: string) => {
    const l = el("label", "", label);
    l.htmlFor = id;
    const i = el("input");
    i.id = id;
    i.type = type;
    i.autocomplete = type === "email" ? "email" : "name";
    form.append(l, i);
    return i;
  };
  form.append(el("p", "", w.ask));
  const name = field("pn", w.name, "text");
  const email = field("pe", w.email, "email");
  const problem = el("p", "pr");
  problem.id = "pp";
  problem.setAttribute("role", "alert");
  const go = el("button", "", w.start);
  go.type = "submit";
  form.append(problem, go);
  form.onsubmit = (e) => {
    e.preventDefault();
    const value = email.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || value.length > 254) {
      problem.textContent = w.bad;
      email.setAttribute("aria-invalid", "true");
      email.setAttribute("aria-describedby", "pp");
      email.focus();
      return;
    }
    const n = name.value.trim().slice(0, 200);
    done(n ? { name: n, email: value } : { email: value });
  };
  return form;
}
