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
  const chat = createChat({
    base: (set.host ?? new URL(script?.src ?? location.href).origin).replace(/\/+$/, ""),
    siteKey: set.siteKey ?? "default",
    position: set.position,
    colour: set.colour ?? set.color,
    greeting: set.greeting,
    lang: set.lang ?? document.documentElement.lang,
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
}
