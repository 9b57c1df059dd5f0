/**
 * The chat: state, the visitor API, the live socket and the view.
 *
 * - Sending goes over HTTP (`POST messages` with a `clientId`), so a retried
 *   send is stored once; unsent messages live in an outbox in localStorage
 *   (offline queue), shown as "Sending…" or "Not sent." with Retry.
 * - Live updates come from `/ws/visitor` (subscribe with `afterSeq`, so a
 *   reconnect catches up); while the socket is down, `GET messages` polls.
 *   Reconnects and retries back off exponentially with jitter.
 * - Entries are keyed by message id and outbox items by clientId, so nothing
 *   shows twice whichever path delivers it first.
 * - Files and links in messages, and "Attach a file", come with the
 *   on-demand module (files.ts), once the panel opens; a file goes as a
 *   message of its own.
 */
import { ApiError, call } from "./api.ts";
import { type Conversation, is, Listing, Message, Sent, Session } from "./schemas.ts";
import { type Words, words } from "./i18n.ts";
import {
  buildView,
  el,
  entryView,
  type Out,
  pendingView,
  statusLine,
  syncLog,
  type View,
} from "./view.ts";
import { load, save } from "./storage.ts";
import { backoff } from "./backoff.ts";
import { createLive } from "./live.ts";

export interface Options {
  base: string;
  siteKey: string;
  position?: string;
  colour?: string;
  greeting?: string;
  lang?: string;
  /** The visitor's language's words, when not English (loaded before the chat is created). */
  words?: Partial<Words>;
}

type Handler = (data?: unknown) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uid = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 12);

export function createChat(o: Options) {
  const w: Words = words(o.lang, o.words);
  const v: View = buildView(w, o.position ?? "right");
  const key = (k: string) => `parley:${o.siteKey}:${k}`;
  let token = load(key("t"));
  let conv: Conversation | null = null;
  const msgs = new Map<string, Message>();
  let cursor = 0;
  let out: Out[] = [];
  try {
    out = JSON.parse(load(key("o")) ?? "[]");
    if (!Array.isArray(out)) out = [];
  } catch { /* a broken outbox is dropped */ }
  let unread = 0;
  let isOpen = false;
  let loaded = false;
  let hidden: string | null = null;
  let typing: string | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sentTyping = 0;
  let greeting = "";
  /** The site asks for name and email first (pre-chat form), unless the page gave them. */
  let askFirst = false;
  let prechat: HTMLElement | null = null;
  /** Whether someone is there (business hours, somebody Online); closed: the offline form instead. */
  let avail: { open?: boolean } | undefined;
  /** The part the first paint does not need (transcript, pre-chat form), loaded on demand. */
  const more = () => import(o.base + "/widget-more.js") as Promise<typeof import("./more.ts")>;
  // A message's files and links (a link has a ":") are drawn by the on-demand module.
  const dress = (e: HTMLElement, m: Message) => (
    (m.attachments || /:/.test(m.text)) &&
    more().then((x) => x.dress(e, m, o, token)).catch(() => {}), e
  );
  let attach = 0;
  // addContext / setUser: kept in order here; the sender (validation, batching, retries) comes
  // with the on-demand module once the chat has started, so the first paint does not wait for it.
  const told: [0 | 1, unknown][] = [];
  let details: ReturnType<typeof import("./context.ts").createContextSender> | null = null;
  /** Place in the queue and estimated wait, from live `queue` frames (one on every subscribe). */
  const queue = (x: object) => more().then((m) => m.queueLine(v.log, x, o.lang)).catch(() => {});
  const tell = (what: 0 | 1, data: unknown) => {
    told.push([what, data]);
    pass();
  };
  function pass(): void {
    if (!loaded || !told.length) return;
    more().then((m) => {
      details ??= m.createContextSender((body) => api("POST", "context", body), () => loaded);
      for (const [what, data] of told.splice(0)) {
        if (what) details.setUser(data);
        else details.add(data);
      }
    }).catch(() => {});
  }
  let flushing = false;
  let subscribed: string | null = null;
  const live = createLive(
    () => o.base.replace(/^http/, "ws") + "/ws/visitor?token=" + encodeURIComponent(token ?? ""),
    () => {
      subscribed = null;
      subscribe();
    },
    (data) => frame(data),
  );
  const handlers: Record<string, Handler[]> = {};
  const items = new Map<string, HTMLElement>();

  v.launcher.onclick = () => toggle();
  v.closeBtn.onclick = () => close();
  v.dlBtn.onclick = () =>
    more().then((m) =>
      m.downloadTranscript(
        v.title.textContent ?? "",
        [...msgs.values()].sort((a, b) => a.seq - b.seq),
        o.lang,
      )
    );
  v.panel.onkeydown = (e) => {
    if (e.key === "Escape") close();
  };
  v.again.onclick = () => {
    hidden = conv?.id ?? null;
    setConv(null);
    render();
    v.input.focus();
  };
  v.form.onsubmit = (e) => {
    e.preventDefault();
    send(v.input.value);
    v.input.value = "";
    v.input.focus();
  };
  v.input.onkeydown = (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      v.form.requestSubmit();
    }
  };
  v.input.oninput = () => sendTyping(true);
  addEventListener("online", () => {
    render();
    flush();
    tick();
  });
  addEventListener("offline", () => render());
  document.addEventListener("visibilitychange", () => {
    if (isOpen && !document.hidden) {
      unread = 0;
      render();
    }
  });

  function api(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    query?: string,
  ): Promise<unknown> {
    return call(o.base, o.siteKey, method, path, token, body, query);
  }

  function on(event: string, cb: Handler): void {
    if (typeof cb === "function") (handlers[event] ??= []).push(cb);
  }

  function emit(event: string, data?: unknown): void {
    for (const cb of handlers[event] ?? []) {
      try {
        cb(data);
      } catch (err) {
        console.error(err);
      }
    }
  }

  /** Starts a session (retrying with backoff), then shows the launcher. False when refused. */
  async function start(): Promise<boolean> {
    for (let i = 0;; i++) {
      try {
        const s = await api("POST", "sessions", {
          siteKey: o.siteKey,
          visitorToken: token ?? undefined,
        });
        if (!is(s, Session)) throw new ApiError(0, "bad_answer", "Unexpected answer.");
        token = s.visitorToken;
        save(key("t"), token);
        v.title.textContent = s.site.name;
        v.host.style.setProperty("--pc", o.colour ?? s.site.colour);
        greeting = o.greeting ?? s.site.greeting;
        askFirst ||= (s.site as { preChatForm?: boolean }).preChatForm === true && !load(key("u"));
        avail = (s as { availability?: { open?: boolean } }).availability;
        if (s.conversationId) await sync().catch(() => {});
        loaded = true;
        document.body.append(v.host);
        // Open again after a reload if it was open (without taking the page's focus).
        const reopened = !isOpen && !!load(key("v"));
        if (reopened) isOpen = true;
        render();
        if (isOpen && !reopened) v.input.focus(); // open() was called before the chat could show
        flush();
        pass();
        tick();
        emit("ready");
        return true;
      } catch (err) {
        const e = err as ApiError;
        if (e.status >= 400 && e.status < 500 && e.status !== 429) {
          console.warn(`Parley: the chat cannot start here: ${e.message}`);
          return false;
        }
        if (i === 0) {
          console.warn(
            `Parley: ${o.base} did not answer, or refused this page's origin. Retrying.`,
          );
        }
        await sleep(backoff(i));
      }
    }
  }

  /** Fetches the conversation state and the entries after the cursor. */
  async function sync(): Promise<void> {
    const c = conv;
    const r = await api(
      "GET",
      "messages",
      undefined,
      c ? `&conversationId=${encodeURIComponent(c.id)}&after=${cursor}` : "",
    );
    if (!is(r, Listing)) return;
    setConv(r.conversation);
    for (const m of r.messages) add(m);
    render();
  }

  function setConv(c: Conversation | null): void {
    if (c && c.id === hidden) c = null;
    if (c?.id !== conv?.id) {
      msgs.clear();
      cursor = 0;
      typing = null;
    }
    conv = c;
    if (c && live.up() && subscribed !== c.id) subscribe();
  }

  function add(m: Message): void {
    if (msgs.has(m.id)) return;
    msgs.set(m.id, m);
    cursor = Math.max(cursor, m.seq);
    if (m.clientId) {
      const before = out.length;
      out = out.filter((o) => o.clientId !== m.clientId);
      if (out.length !== before) save(key("o"), JSON.stringify(out));
    }
    if (m.author.type === "agent" && m.type === "message") {
      typing = null;
      if (loaded) {
        if (!isOpen || document.hidden) unread++;
        emit("message", { text: m.text, author: m.author.name });
      }
    }
  }

  /** Adds a message to the outbox and sends it when it can. */
  function send(text: string): void {
    text = text.trim();
    if (!text) return;
    hidden = null;
    out.push({ clientId: uid(), text, tries: 0 });
    save(key("o"), JSON.stringify(out));
    sendTyping(false);
    render();
    flush();
  }

  /** Sends the outbox in order; offline it waits for the `online` event. */
  async function flush(): Promise<void> {
    if (flushing || !loaded) return;
    flushing = true;
    try {
      for (let n = 0;;) {
        const o = out.find((x) => !x.failed);
        if (!o || !navigator.onLine) break;
        try {
          const r = await api("POST", "messages", {
            text: o.text,
            clientId: o.clientId,
            page: location.href,
          });
          got(r);
          n = 0;
        } catch (err) {
          const e = err as ApiError;
          if (!navigator.onLine) continue;
          const permanent = e.status >= 400 && e.status < 500 && e.status !== 429;
          if (permanent || ++o.tries >= 4) o.failed = e.message;
          else await sleep(backoff(n++));
        }
        save(key("o"), JSON.stringify(out));
        render();
      }
    } finally {
      flushing = false;
    }
    render();
    tick();
  }

  /** A sent message's answer (the outbox's, or files.ts's): its conversation and the message. */
  function got(r: unknown): void {
    if (!is(r, Sent)) throw new ApiError(0, "bad_answer", "Unexpected answer.");
    setConv(r.conversation);
    add(r.message);
    render();
  }

  function retry(clientId: string): void {
    const o = out.find((x) => x.clientId === clientId);
    if (o) {
      o.failed = undefined;
      o.tries = 0;
    }
    render();
    flush();
  }

  /** Runs every few seconds: reconnects the socket, polls while it is down (live frames otherwise). */
  function tick(): void {
    const c = conv;
    const going = c && c.status !== "closed";
    if (going) live.ensure();
    if (going && !live.up()) sync().catch(() => {});
    clearTimeout(timer);
    timer = setTimeout(() => tick(), 2500 + Math.random() * 1000);
  }

  function subscribe(): void {
    const c = conv;
    if (c && live.send({ type: "subscribe", conversationId: c.id, afterSeq: cursor })) {
      subscribed = c.id;
    }
  }

  function frame(data: unknown): void {
    let f: {
      type?: string;
      conversationId?: string;
      message?: unknown;
      typing?: boolean;
      from?: { kind?: string; name?: string };
      queuePosition?: number;
    };
    try {
      f = JSON.parse(String(data));
    } catch {
      return;
    }
    if (!conv || f.conversationId !== conv.id) return;
    if (f.type === "reset") {
      // Our cursor was beyond the server's log (another store's): the whole log follows.
      msgs.clear();
      cursor = 0;
    } else if (f.type === "message" && is(f.message, Message)) {
      add(f.message);
      if (f.message.type === "event") sync().catch(() => {});
    } else if (f.type === "typing" && f.from?.kind === "agent") {
      typing = f.typing ? (f.from.name || conv.agentName || "") : null;
      clearTimeout(typingTimer);
      if (typing !== null) {
        typingTimer = setTimeout(() => {
          typing = null;
          render();
        }, 8000);
      }
    } else if (f.type === "queue" && (f.queuePosition || conv.status === "pending")) {
      // (Not queued, and not shown as queued: no need to load the on-demand module.)
      queue(f);
    } else if (f.type === "event") {
      sync().catch(() => {});
    }
    render();
  }

  function sendTyping(on: boolean): void {
    const now = Date.now();
    if (!conv || (on && now - sentTyping < 2500)) return;
    if (live.send({ type: "typing", conversationId: conv.id, typing: on })) {
      sentTyping = on ? now : 0;
    }
  }

  function open(): void {
    isOpen = true;
    unread = 0;
    save(key("v"), "1");
    render();
    v.input.focus();
    emit("open");
  }

  /**
   * Shows the pre-chat form in place of the composer, until the visitor says who they are; or,
   * while nobody is there, the offline form (a message and an email address, sent by the form).
   */
  function showPreChat(): void {
    if (prechat) return;
    prechat = v.closed; // a placeholder until the module arrives (keeps this from running twice)
    more().then((m) => {
      const f = m[avail?.open === false ? "offlineForm" : "preChatForm"](
        v.host.shadowRoot!,
        o.lang,
        (user) => {
          tell(1, user);
          save(key("u"), "1");
          askFirst = false;
          f.remove();
          sync().catch(render); // an offline message opened a conversation
          v.input.focus();
        },
        avail,
        api,
      );
      prechat = f;
      v.form.before(f);
      render();
      (f.querySelector("input") as HTMLInputElement).focus();
    }).catch(() => {
      askFirst = false; // the form could not load: let the visitor write anyway
      avail = undefined;
      render();
    });
  }

  function close(): void {
    const hadFocus = v.host.shadowRoot?.activeElement;
    isOpen = false;
    save(key("v"), "");
    render();
    if (hadFocus) v.launcher.focus();
    emit("close");
  }

  function toggle(): void {
    if (isOpen) close();
    else open();
  }

  /** Brings the DOM in line with the state, keeping existing nodes (the log stays a clean live region). */
  function render(): void {
    const c = conv;
    v.panel.hidden = !isOpen;
    v.launcher.setAttribute("aria-expanded", String(isOpen));
    v.launcher.setAttribute("aria-label", isOpen ? w.close : w.open);
    v.badge.hidden = unread === 0;
    v.badge.textContent = String(unread);
    if (unread) v.launcher.setAttribute("aria-label", `${w.open} (${unread} ${w.unread})`);
    v.status.textContent = statusLine(w, c, typing);
    const isClosed = c?.status === "closed";
    v.closed.hidden = !isClosed;
    // The satisfaction survey, in the closed box (hidden with it), from the on-demand module.
    if (isClosed && c.survey) {
      more().then((m) => m.survey(v.closed, c, api, o)).catch(() => {});
    }
    const asking = (askFirst || avail?.open === false) && !c && !out.length;
    if (asking && isOpen) showPreChat();
    v.form.hidden = isClosed || asking;
    // "Attach a file" joins the composer once the panel is first open (the module it needs loads).
    if (isOpen && loaded && !attach++) {
      more().then((x) => x.fileUi(v, o, api, () => token, got)).catch(() => attach = 0);
    }
    v.dlBtn.hidden = !msgs.size;

    const wanted: [string, () => HTMLElement][] = [];
    if (greeting) wanted.push(["g", () => el("div", "m", greeting)]);
    for (const m of [...msgs.values()].sort((a, b) => a.seq - b.seq)) {
      wanted.push(["m" + m.id, () => dress(entryView(m, w), m)]);
    }
    for (const o of out) {
      wanted.push(["o" + o.clientId + (o.failed ? "f" : ""), () => pendingView(o, w, retry)]);
    }
    syncLog(v.log, items, wanted);
  }

  return {
    start,
    open,
    close,
    toggle,
    on,
    addContext: (data: unknown) => tell(0, data),
    setUser(user: unknown) {
      askFirst = false; // the page said who the visitor is: no need to ask
      tell(1, user);
    },
  };
}
