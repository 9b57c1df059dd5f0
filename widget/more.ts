/**
 * The part of the widget the first paint does not need, built as its own
 * small module (`/widget-more.js`) and imported on demand by widget.js: the
 * "Download transcript" file, the optional pre-chat form (name, email) with
 * their words, the addContext/setUser sender, the line with the place in
 * the queue and the estimated wait, the chat's words in languages other
 * than English (./words.ts), and the satisfaction survey after a close
 * (survey.ts); files and links in the log with "Attach a file"
 * (files.ts). Keeping them out keeps widget.js within its 8 KB budget.
 */
import type { Message } from "./schemas.ts";
import { el } from "./view.ts";
import { fill } from "./i18n.ts";

/** addContext / setUser: checked, gathered and sent by widget.js through this, once it started. */
export { createContextSender } from "./context.ts";

/** Files and links in messages, and the visitor's "Attach a file" with its upload states. */
export { dress, fileUi } from "./files.ts";

/** The chat's words in the visitor's language when it is not English (widget.js asks first). */
export { wordsFor as chatWords } from "./words.ts";

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
    closed: "We are closed right now.",
    opens: "We open again {n}.",
    nobody: "Nobody is available right now.",
    leave: "Leave a message and your email address, and we will answer you by email.",
    msg: "Message",
    sendMsg: "Send message",
    empty: "Write a message first.",
    notSent: "Not sent. Please try again.",
    thanks: "Thank you! We got your message and will answer you at {n}.",
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
    closed: "Wir sind gerade nicht erreichbar.",
    opens: "Wir sind wieder da: {n}.",
    nobody: "Gerade ist niemand verfügbar.",
    leave: "Hinterlassen Sie eine Nachricht und Ihre E-Mail-Adresse; wir antworten per E-Mail.",
    msg: "Nachricht",
    sendMsg: "Nachricht senden",
    empty: "Bitte zuerst eine Nachricht schreiben.",
    notSent: "Nicht gesendet. Bitte erneut versuchen.",
    thanks: "Danke! Wir haben Ihre Nachricht und antworten Ihnen an {n}.",
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
    closed: "Ahora mismo estamos cerrados.",
    opens: "Volvemos {n}.",
    nobody: "Ahora mismo no hay nadie disponible.",
    leave: "Déjanos un mensaje y tu correo electrónico, y te responderemos por correo.",
    msg: "Mensaje",
    sendMsg: "Enviar mensaje",
    empty: "Escribe un mensaje primero.",
    notSent: "No enviado. Inténtalo de nuevo.",
    thanks: "¡Gracias! Recibimos tu mensaje y te responderemos a {n}.",
  },
  pt: {
    you: "Você",
    agent: "Atendente",
    ask: "Antes de começar, diga-nos quem você é.",
    name: "Nome",
    email: "E-mail",
    start: "Iniciar chat",
    bad: "Digite um e-mail válido.",
    place: "Você é o número {n} na fila.",
    wait: "Tempo de espera estimado: {n}.",
    soon: "menos de um minuto",
    min: "cerca de {n} min",
    long: "mais de uma hora",
    closed: "No momento estamos fechados.",
    opens: "Voltamos {n}.",
    nobody: "No momento não há ninguém disponível.",
    leave: "Deixe uma mensagem e seu e-mail, e responderemos por e-mail.",
    msg: "Mensagem",
    sendMsg: "Enviar mensagem",
    empty: "Escreva uma mensagem primeiro.",
    notSent: "Não enviada. Tente novamente.",
    thanks: "Obrigado! Recebemos sua mensagem e responderemos em {n}.",
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
  `.pw{font-weight:600}.pf textarea{padding:8px 10px;border:1px solid #d1d5db;border-radius:8px;min-height:70px}.pf{display:flex;flex-direction:column;gap:4px;padding:14px;border-top:1px solid #e5e7eb}.pf input{padding:8px 10px;border:1px solid #d1d5db;border-radius:8px}.pf button{margin-top:6px;padding:6px 12px;border-radius:8px;background:var(--pc);color:#fff;font-weight:600}.pr{color:#b91c1c;font-size:12px}`;

/** The visitor API, as widget.js calls it (api.ts `call` with its site and token). */
type Api = (method: "GET" | "POST", path: string, body?: unknown) => Promise<unknown>;
/** The availability the session gave (lib/domain/business_hours.ts `Availability`). */
interface Avail {
  open?: boolean;
  reason?: string | null;
  opensAt?: string | null;
}

/** The pre-chat form: name and email (required, checked), then `done` with them. */
export function preChatForm(
  root: ShadowRoot,
  lang: string | undefined,
  done: (user: { name?: string; email: string }) => void,
  _avail?: Avail,
  _api?: Api,
): HTMLFormElement {
  return detailsForm(root, lang, done, null);
}

/**
 * The offline form, while nobody is there (out of hours, or nobody Online): why,
 * when the hours open again, then a message, an email address (required,
 * checked) and a name; it sends them itself (`POST offline-messages`), shows
 * the thanks and calls `done` (widget.js then shows the conversation).
 */
export function offlineForm(
  root: ShadowRoot,
  lang: string | undefined,
  done: (user: { name?: string; email: string }) => void,
  avail?: Avail,
  api?: Api,
): HTMLFormElement {
  return detailsForm(root, lang, done, { avail: avail ?? {}, api: api! });
}

function detailsForm(
  root: ShadowRoot,
  lang: string | undefined,
  done: (user: { name?: string; email: string }) => void,
  offline: { avail: Avail; api: Api } | null,
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
    const i = el(type === "textarea" ? "textarea" : "input") as HTMLInputElement;
    i.id = id;
    if (type !== "textarea") {
      i.type = type;
      i.autocomplete = type === "email" ? "email" : "name";
    }
    form.append(l, i);
    return i;
  };
  if (offline) {
    const { reason, opensAt } = offline.avail;
    const when = opensAt && !Number.isNaN(Date.parse(opensAt))
      ? " " + fill(
        w.opens,
        new Date(opensAt).toLocaleString(lang, {
          weekday: "long",
          hour: "numeric",
          minute: "2-digit",
        }),
      )
      : "";
    const why = el("p", "pw", (reason === "closed_hours" ? w.closed : w.nobody) + when);
    form.append(why, el("p", "", w.leave));
  } else form.append(el("p", "", w.ask));
  const name = field("pn", w.name, "text");
  const email = field("pe", w.email, "email");
  const text = offline ? field("pm", w.msg, "textarea") : null;
  const problem = el("p", "pr");
  problem.id = "pp";
  problem.setAttribute("role", "alert");
  const go = el("button", "", offline ? w.sendMsg : w.start);
  go.type = "submit";
  form.append(problem, go);
  const wrong = (input: HTMLInputElement, message: string) => {
    problem.textContent = message;
    for (const i of [email, text]) i?.removeAttribute("aria-invalid");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "pp");
    input.focus();
  };
  form.onsubmit = async (e) => {
    e.preventDefault();
    const value = email.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || value.length > 254) {
      return wrong(email, w.bad);
    }
    const n = name.value.trim().slice(0, 200);
    const user = n ? { name: n, email: value } : { email: value };
    if (offline && text) {
      const message = text.value.trim();
      if (!message) return wrong(text, w.empty);
      go.disabled = true;
      try {
        await offline.api("POST", "offline-messages", {
          ...user,
          text: message,
          clientId: "off-" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10),
          page: location.href,
        });
      } catch (err) {
        go.disabled = false;
        problem.textContent = (err as Error).message || w.notSent;
        return;
      }
      showLine(root.querySelector(".g") as HTMLElement, fill(w.thanks, value));
    }
    done(user);
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

/** The line above the log (a polite live region): the queue place, or a note; hidden when empty. */
function showLine(log: HTMLElement, text: string): void {
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
  line.textContent = text;
  line.hidden = !text;
}

/**
 * Shows the visitor's place in the queue and estimated wait above the log
 * (`x`: a live `queue` frame), or hides the line when the chat is not queued.
 * A screen reader hears the new place.
 */
export function queueLine(
  log: HTMLElement,
  x: { queuePosition?: unknown; estimatedWaitSeconds?: unknown },
  lang?: string,
): void {
  showLine(log, queueText(x, lang));
}
/** The satisfaction survey after a close (./survey.ts). */
export { survey } from "./survey.ts";
