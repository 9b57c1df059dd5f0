/**
 * The widget's DOM: a `<parley-chat>` host with an open shadow root (open so tests and assistive tools can reach it)
 * holding the launcher and the chat panel. Everything a visitor or the host
 * page sends is set with `textContent`, never as markup.
 */
import { MAX_TEXT_CHARS } from "../lib/domain/limits.ts";
import { CSS } from "./styles.ts";
import { fill, type Words } from "./i18n.ts";
import type { Conversation, Message } from "./schemas.ts";

/** A visitor message on its way out: shown as pending (or failed, with Retry) until acked. */
export interface Out {
  clientId: string;
  text: string;
  tries: number;
  failed?: string;
}

/** A `type=button` button with a class, text and (optional) accessible name. */
export function button(cls: string, text: string, label?: string): HTMLButtonElement {
  const b = el("button", cls, text);
  b.type = "button";
  if (label) b.setAttribute("aria-label", label);
  return b;
}

/** Creates an element with a class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

export interface View {
  host: HTMLElement;
  launcher: HTMLButtonElement;
  badge: HTMLSpanElement;
  panel: HTMLElement;
  title: HTMLHeadingElement;
  status: HTMLSpanElement;
  closeBtn: HTMLButtonElement;
  dlBtn: HTMLButtonElement;
  log: HTMLDivElement;
  closed: HTMLDivElement;
  again: HTMLButtonElement;
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
}

const ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

/** Builds the widget and attaches it to `document.body`. */
export function buildView(w: Words, position: string): View {
  const host = el("parley-chat" as "div");
  host.dataset.position = position === "left" ? "left" : "right";
  const root = host.attachShadow({ mode: "open" });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Old browsers without constructable stylesheets: a <style> (subject to the page's CSP).
    root.append(el("style", "", CSS));
  }
  const launcher = button("l", "", w.open);
  launcher.innerHTML = ICON; // a constant, not data
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "p");
  const badge = el("span", "b");
  badge.hidden = true;
  launcher.append(badge);

  const panel = el("section", "p");
  panel.id = "p";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "t");
  const header = el("header");
  const head = el("div");
  const title = el("h2");
  title.id = "t";
  const status = el("span", "s");
  status.setAttribute("aria-live", "polite");
  head.append(title, status);
  const closeBtn = button("x", "×", w.close);
  const dlBtn = button("x", "⤓", w.dl);
  header.append(head, dlBtn, closeBtn);

  const log = el("div", "g");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", w.msgs);
  log.tabIndex = 0;

  // The log's own "closed" line says the conversation is closed; here only the way on.
  const closed = el("div", "c");
  closed.hidden = true;
  const again = button("", w.again);
  closed.append(again);

  const form = el("form");
  const label = el("label", "sr", w.label);
  label.htmlFor = "i";
  const input = el("textarea");
  input.id = "i";
  input.placeholder = w.ph;
  input.maxLength = MAX_TEXT_CHARS;
  const send = el("button", "", w.send);
  send.type = "submit";
  form.append(label, input, send);

  panel.append(header, log, closed, form);
  root.append(panel, launcher);
  return {
    host,
    launcher,
    badge,
    panel,
    title,
    status,
    closeBtn,
    dlBtn,
    log,
    closed,
    again,
    form,
    input,
  };
}

/** One log entry: a message bubble, or a system line (known events in the visitor's language). */
export function entryView(m: Message, w: Words): HTMLElement {
  if (m.type === "event") {
    const name = m.data?.agentName;
    return el(
      "div",
      "m sy",
      m.kind === "closed"
        ? w.closed
        : m.kind === "assigned" && typeof name === "string"
        ? fill(w.joined, name)
        : m.text,
    );
  }
  const e = el("div", m.author.type === "customer" ? "m me" : "m");
  const named = m.author.type === "agent" || m.author.type === "bot";
  if (named && m.author.name) e.append(el("small", "", m.author.name));
  e.append(m.text);
  const t = el(
    "time",
    "",
    new Date(m.createdAt).toLocaleTimeString(w.lang, { timeStyle: "short" }),
  );
  t.dateTime = m.createdAt;
  e.append(t);
  return e;
}

/** An outbox message: "Sending…", or "Not sent." with a Retry button. */
export function pendingView(o: Out, w: Words, retry: (clientId: string) => void): HTMLElement {
  const e = el("div", o.failed ? "m me f" : "m me", o.text);
  const note = el("small", "", o.failed ? w.failed + " " : w.sending);
  if (o.failed) {
    const b = button("", w.retry);
    b.onclick = () => retry(o.clientId);
    note.append(b);
  }
  e.append(note);
  return e;
}

/**
 * The header's status line: offline, typing, waiting, or who answers (the place in the queue and
 * the estimated wait have their own line, from widget-more.js: more.ts queueLine).
 */
export function statusLine(w: Words, c: Conversation | null, typing: string | null): string {
  return !navigator.onLine
    ? w.offline
    : typing !== null
    ? fill(w.typing, typing || c?.agentName || "…")
    : c?.status === "pending"
    ? w.wait
    : c?.status === "active" && c.agentName
    ? fill(w.with, c.agentName)
    : "";
}

/**
 * Brings the log in line with `wanted` (key → maker), keeping existing nodes
 * so the live region announces only what is new; scrolls down when it grew.
 */
export function syncLog(
  log: HTMLElement,
  items: Map<string, HTMLElement>,
  wanted: [string, () => HTMLElement][],
): void {
  const keep = new Set(wanted.map(([k]) => k));
  for (const [k, e] of items) {
    if (!keep.has(k)) {
      e.remove();
      items.delete(k);
    }
  }
  let grew = false;
  wanted.forEach(([k, make], i) => {
    let e = items.get(k);
    if (!e) {
      items.set(k, e = make());
      grew = true;
    }
    if (log.children[i] !== e) log.insertBefore(e, log.children[i] ?? null);
  });
  if (grew) log.scrollTop = log.scrollHeight;
}
