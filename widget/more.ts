/**
 * The part of the widget the first paint does not need, built as its own
 * small module (`/widget-more.js`) and imported on demand by widget.js: the
 * "Download transcript" file, the optional pre-chat form (name, email) with
 * their words, the addContext/setUser sender, and the line with the place in
 * the queue and the estimated wait. Keeping them out keeps
 * widget.js within its 8 KB budget.
 */
import type { Message } from "./schemas.ts";
import { el } from "./view.ts";
import { fill } from "./i18n.ts";

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
    place: "You are number {n} in the queue.",
    wait: "Estimated wait: {n}.",
    soon: "less than a minute",
    min: "about {n} min",
    long: "more than an hour",
  },
  de: {
    you: "Sie",
    agent: "Mitarbeiter",
    ask: "Bevor es losgeht: Wer sind Sie?",
    name: "Name",
    email: "E-Mail",
    start: "Chat starten",
    bad: "Bitte eine gültige E-Mail-Adresse eingeben.",
    place: "Sie sind Nummer {n} in der Warteschlange.",
    wait: "Geschätzte Wartezeit: {n}.",
    soon: "weniger als eine Minute",
    min: "etwa {n} Minuten",
    long: "mehr als eine Stunde",
  },
  es: {
    you: "Tú",
    agent: "Agente",
    ask: "Antes de empezar, dinos quién eres.",
    name: "Nombre",
    email: "Correo electrónico",
    start: "Iniciar chat",
    bad: "Escribe un correo electrónico válido.",
    place: "Eres el número {n} en la cola.",
    wait: "Tiempo de espera estimado: {n}.",
    soon: "menos de un minuto",
    min: "unos {n} min",
    long: "más de una hora",
  },
};

export function words(lang: string | undefined) {
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

/** The words of the queue line: the place, then the estimated wait when there is one. */
export function queueText(
  x: { queuePosition?: unknown; estimatedWaitSeconds?: unknown },
  lang?: string,
): string {
  const w = words(lang);
  const place = x.queuePosition;
  if (typeof place !== "number" || place < 1) return "";
  const s = x.estimatedWaitSeconds;
  const wait = typeof s !== "number" || s < 1
    ? ""
    : s < 60
    ? w.soon
    : s <= 3600
    ? fill(w.min, Math.ceil(s / 60))
    : w.long;
  return fill(w.place, place) + (wait ? " " + fill(w.wait, wait) : "");
}

let line: HTMLParagraphElement | null = null;

/**
 * Shows the visitor's place in the queue and estimated wait above the log
 * (`x`: the conversation as the widget API gives it, or a live `queue` frame),
 * or hides the line when the chat is not queued. A polite live region: a
 * screen reader hears the new place.
 */
export function queueLine(
  log: HTMLElement,
  x: { queuePosition?: unknown; estimatedWaitSeconds?: unknown },
  lang?: string,
): void {
  if (!line) {
    line = el("p", "q");
    line.setAttribute("role", "status");
    const root = log.getRootNode() as ShadowRoot;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(
        ".q{margin:0;padding:6px 14px;background:#f3f4f6;color:#374151;font-size:13px}",
      );
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    } catch { /* unstyled, still readable */ }
  }
  if (!line.isConnected) log.before(line);
  const text = queueText(x, lang);
  line.textContent = text;
  line.hidden = !text;
}
