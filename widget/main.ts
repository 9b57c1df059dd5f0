/**
 * Entry of `widget.js`, the embeddable chat. Built as one IIFE (no globals of
 * its own) that installs exactly two objects, `Parley` and its alias
 * `SyntphonyConversationalAIChat`, with `open()`, `close()`, `toggle()`,
 * `setUser({name, email})`, `addContext(obj)` and `on(event, cb)`.
 *
 * The page may call them before the script has loaded through the tiny stub
 * in the README, which queues calls in `q`; the queue is replayed here in
 * order. Settings come from the script tag's data attributes (`data-site-key`,
 * `data-position`, `data-colour`, `data-greeting`, `data-lang`) or from a
 * `settings` object on the stub.
 *
 * Language: `data-lang` when the site sets one, else the visitor's browser
 * languages (the first one the widget speaks), else the page's `<html lang>`;
 * English otherwise. Words other than English come from /widget-more.js,
 * loaded before the chat is created (calls meanwhile queue like the stub's).
 */
import { createChat } from "./chat.ts";

type Api = Record<string, unknown> & { q?: [string, ArrayLike<unknown>][]; settings?: object };

const w = globalThis as unknown as Record<string, Api | undefined>;
const NAMES = ["Parley", "SyntphonyConversationalAIChat"];
const stubs = [...new Set(NAMES.map((n) => w[n]).filter((x): x is Api => !!x))];

if (!stubs.some((s) => s.__parley)) {
  const script = (document.currentScript ??
    document.querySelector('script[src*="/widget.js"]')) as HTMLScriptElement | null;
  const set: Record<string, string | undefined> = Object.assign(
    {},
    ...stubs.map((s) => s.settings),
    script?.dataset,
  );
  const base = (set.host ?? new URL(script?.src ?? location.href).origin).replace(/\/+$/, "");
  const lang = set.lang ??
    [...navigator.languages, document.documentElement.lang].find((l) =>
      /^(en|de|es|pt)\b/i.test(l)
    );
  const create = (words?: object) => {
    const chat = createChat({
      base,
      siteKey: set.siteKey ?? "default",
      position: set.position,
      colour: set.colour ?? set.color,
      greeting: set.greeting,
      lang,
      words,
    });
    const api: Api = {
      __parley: true,
      open: () => chat.open(),
      close: () => chat.close(),
      toggle: () => chat.toggle(),
      setUser: (user: unknown) => chat.setUser(user),
      addContext: (data: unknown) => chat.addContext(data),
      on: (event: string, cb: () => void) => chat.on(event, cb),
    };
    const queued = stubs.flatMap((s) => (Array.isArray(s.q) ? s.q : []));
    for (const n of NAMES) w[n] = api;
    for (const [name, args] of queued) {
      const fn = api[name];
      if (typeof fn === "function") fn(...Array.from(args ?? []));
    }
    const go = () => chat.start();
    if (document.body) go();
    else addEventListener("DOMContentLoaded", go);
  };
  if (/^(en|$)/i.test(lang ?? "")) create();
  else {
    // Until the words arrive, calls wait in a queue (the page may have used no stub).
    if (!stubs.length) {
      const q: [string, ArrayLike<unknown>][] = [];
      const s: Api = { q, __parley: true };
      for (const f of ["open", "close", "toggle", "setUser", "addContext", "on"]) {
        s[f] = (...a: unknown[]) => q.push([f, a]);
      }
      stubs.push(s);
      for (const n of NAMES) w[n] = s;
    }
    import(base + "/widget-more.js").then((m) => m.chatWords(lang), () => ({})).then(create);
  }
}
