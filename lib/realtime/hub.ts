/**
 * The real-time hub: one per app instance. It turns the KV change log
 * (lib/store/changes.ts) into ordered, gap-free, duplicate-free event streams
 * for the SSE and WebSocket connections of this instance.
 *
 * How it works:
 * - ONE doorbell on `CHANGE_HEAD_KEY` per instance hears changes committed
 *   anywhere: `kv.watch`, plus a poll of the head every `pollMs` on a local
 *   KV file, whose watch does not hear other processes (./doorbell.ts). The instance that
 *   commits rings its own process-local bell (the engine object's `changes`,
 *   lib/store/changes.ts LocalChanges) and is woken at
 *   once, without waiting for its watch. Watch coalesces, so the watch only
 *   says "something changed": the hub then reads the log from its own cursor
 *   (one read per wake-up, shared by every subscriber) and hands each
 *   subscriber the changes after that subscriber's cursor, in seq order.
 * - The local bell carries the commit's batch (its changes with their seqs and
 *   the records it wrote): the hub dispatches it without reading the log or
 *   the records back when it continues the hub's cursor (./change_feed.ts).
 * - A subscriber that starts behind the hub (a reconnect with `Last-Event-ID`
 *   or an old cursor) first catches up with its own reads of the log, then
 *   joins the shared stream; its cursor makes the join duplicate-free.
 * - A cursor the log can no longer serve (expired, or from the future after a
 *   store reset) gets an explicit reset: `onReset(head)`; the client reloads
 *   its lists and continues from `head`.
 *
 * The hub also keeps the registry of live connections (closed with code 1012
 * "service restart" on shutdown) and tracks in-flight commits so shutdown can
 * wait for them.
 *
 * @example
 * const hub = new Hub(kv, engine.changes);
 * await hub.start();
 * const sub = hub.subscribe(lastEventId, {
 *   onChanges: (changes) => changes.forEach(send),
 *   onReset: (head) => send({ type: "reset", seq: head }),
 * });
 * // later
 * sub.close();
 */
import {
  type Change,
  CHANGE_HEAD_KEY,
  ChangeBellEvent,
  type LocalChanges,
  type WrittenRecords,
} from "../store/changes.ts";
import { ChangeFeed, readAfter } from "./change_feed.ts";
import { Doorbell, type DoorbellOptions } from "./doorbell.ts";

/** What a subscriber receives. Both are called synchronously by the hub: never block in them. */
export interface ChangeListener {
  /** Changes after the subscriber's cursor, oldest first, each exactly once. */
  onChanges(changes: Change[]): void;
  /** The cursor cannot be resumed; the client must reload. Changes after `head` follow. */
  onReset(head: number): void;
}

/** The change type of a staff account's change (lib/store/agents.ts). */
export const ACCOUNT_CHANGE = "agent.updated";

/** Told of one staff account's change, or null when one may have been missed. */
export type AccountListener = (change: Change | null) => void;

/** A live subscription; `cursor` is the seq of the last change delivered (or skipped by reset). */
export interface Subscription {
  readonly cursor: number;
  close(): void;
}

/** A connection the hub may close on shutdown. */
export interface HubConnection {
  close(code: number, reason: string): void;
}

/** WebSocket close code telling clients the server restarts: reconnect and resume. */
export const CLOSE_RESTART = 1012;

/** How long shutdown waits for clients to complete the close handshake. */
const CLOSE_WAIT_MS = 2_000;

class Sub implements Subscription {
  live = false;
  closed = false;
  constructor(public cursor: number, readonly listener: ChangeListener, readonly hub: Hub) {}
  close() {
    if (this.closed) return;
    this.closed = true;
    this.hub.unsubscribe(this);
  }
}

/** The change hub of one app instance (see the module doc). */
export class Hub {
  #cursor = 0;
  #subs = new Set<Sub>();
  /** Live-only listeners per conversation (chat panes, the widget): no cursor of their own. */
  #topics = new Map<string, Set<ChangeListener>>();
  /** Listeners per staff member, told of changes to that account (see {@link watchAgent}). */
  #accounts = new Map<string, Set<AccountListener>>();
  #connections = new Set<HubConnection>();
  #inFlight = new Set<Promise<unknown>>();
  #pumping = false;
  #again = false;
  #started = false;
  #closing = false;
  #doorbell: Doorbell;
  #pumpDone: Promise<void> = Promise.resolve();
  #drained: (() => void) | null = null;
  #feed: ChangeFeed;
  #ring = (event: Event) => {
    const batch = event instanceof ChangeBellEvent ? event.batch : null;
    if (batch) {
      if (batch.changes.length === 0) return; // nothing was added to the log
      this.#feed.addOwn(batch);
    }
    this.#wake();
  };

  /**
   * `prepare` runs once per batch read from the log, before any subscriber
   * sees it (e.g. loading the records the changes are about into a shared
   * cache, so listeners stay synchronous and the records are read once per
   * instance, not once per connection).
   */
  constructor(
    readonly kv: Deno.Kv,
    /** This process's knowledge of the log for `kv` (the engine object's `changes`). */
    readonly local: LocalChanges,
    readonly prepare: (changes: Change[], written?: WrittenRecords) => Promise<void> =
      async () => {},
    /** Also poll the head (see ./doorbell.ts); default: watch only. */
    poll: Pick<DoorbellOptions, "pollMs" | "pollWhen"> = {},
  ) {
    this.#feed = new ChangeFeed(kv);
    this.#doorbell = new Doorbell(kv, [CHANGE_HEAD_KEY], this.#heard, {
      ...poll,
      label: "change head",
    });
  }

  /** The seq of the newest change this hub has read and dispatched. */
  get cursor(): number {
    return this.#cursor;
  }

  /** True once shutdown began: refuse new connections. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Number of subscriptions (for tests and benchmarks). */
  get subscriberCount(): number {
    return this.#subs.size;
  }

  /** Reads the head and starts the doorbell and the local bell. Call once before serving. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#cursor = (await this.kv.get<number>(CHANGE_HEAD_KEY)).value ?? 0;
    this.local.bell.addEventListener("change", this.#ring);
    this.#doorbell.start();
  }

  /** The doorbell (watch, and the poll on a local file) saw the head: wake if it moved on. */
  #heard = (entries: Deno.KvEntryMaybe<unknown>[]): void => {
    const entry = entries[0] as Deno.KvEntryMaybe<number> | undefined;
    if (!entry) return;
    // Another instance's commit moved the head: this instance's next commit builds on it.
    this.local.learnHead(entry);
    // A commit this hub already read (its own, delivered through the local bell) needs no
    // second look at the log.
    if (typeof entry.value === "number" && entry.value <= this.#cursor) return;
    this.#wake();
  };

  #wake(): void {
    if (this.#closing) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    this.#pumpDone = this.#pump().catch((err) => {
      if (!this.#closing) console.error("realtime: reading the change log failed:", err);
    }).finally(() => {
      this.#pumping = false;
      if (this.#again && !this.#closing) this.#wake();
    });
  }

  async #pump(): Promise<void> {
    do {
      this.#again = false;
      for (;;) {
        const { changes, head, reset, written } = await this.#feed.after(this.#cursor);
        if (this.#closing) return;
        if (reset) {
          // The hub itself fell out of the log's window (or the store was reset).
          this.#cursor = head;
          for (const sub of this.#subs) {
            if (!sub.live) continue;
            sub.cursor = head;
            this.#safely(() => sub.listener.onReset(head));
          }
          for (const set of this.#topics.values()) {
            for (const listener of set) this.#safely(() => listener.onReset(head));
          }
          for (const set of this.#accounts.values()) {
            for (const listener of [...set]) this.#safely(() => listener(null));
          }
          break;
        }
        if (changes.length === 0) break;
        await this.prepare(changes, written);
        if (this.#closing) return;
        this.#cursor = changes[changes.length - 1].seq;
        this.#dispatch(changes);
        if (this.#cursor >= head && !this.#feed.hasOwn) break;
      }
    } while (this.#again);
  }

  #dispatch(changes: Change[]): void {
    // Account changes first: a connection that loses access hears it before anything after it.
    if (this.#accounts.size > 0) {
      for (const change of changes) {
        if (change.type !== ACCOUNT_CHANGE || !change.agentId) continue;
        for (const listener of [...this.#accounts.get(change.agentId) ?? []]) {
          this.#safely(() => listener(change));
        }
      }
    }
    for (const sub of this.#subs) {
      if (!sub.live || sub.closed) continue;
      this.#deliver(sub, changes);
    }
    if (this.#topics.size === 0) return;
    // Per-conversation listeners: cost follows the changes, not the number of connections.
    const byConversation = new Map<string, Change[]>();
    for (const change of changes) {
      if (!change.conversationId || !this.#topics.has(change.conversationId)) continue;
      const list = byConversation.get(change.conversationId);
      if (list) list.push(change);
      else byConversation.set(change.conversationId, [change]);
    }
    for (const [id, list] of byConversation) {
      for (const listener of [...this.#topics.get(id) ?? []]) {
        this.#safely(() => listener.onChanges(list));
      }
    }
  }

  /**
   * Listens to one conversation's changes from now on, without a cursor: the
   * caller resumes by the conversation's own message seq, after registering
   * (so nothing committed after the registration can be missed). `onReset`
   * means the hub itself lost its place in the log: re-read from your seq.
   * Returns the function that stops listening.
   */
  listen(conversationId: string, listener: ChangeListener): () => void {
    let set = this.#topics.get(conversationId);
    if (!set) this.#topics.set(conversationId, set = new Set());
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#topics.get(conversationId) === set) {
        this.#topics.delete(conversationId);
      }
    };
  }

  /**
   * Calls `listener` when the account of `agentId` changes (an
   * `agent.updated` change: active flag, role, team, profile), on whichever
   * instance it was committed, before this batch reaches any other listener;
   * with null when the hub lost its place in the log (a change may have been
   * missed: check again). Returns the function that stops listening.
   */
  watchAgent(agentId: string, listener: AccountListener): () => void {
    let set = this.#accounts.get(agentId);
    if (!set) this.#accounts.set(agentId, set = new Set());
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#accounts.get(agentId) === set) this.#accounts.delete(agentId);
    };
  }

  #deliver(sub: Sub, changes: Change[]): void {
    let from = 0;
    while (from < changes.length && changes[from].seq <= sub.cursor) from++;
    if (from === changes.length) return;
    const fresh = from === 0 ? changes : changes.slice(from);
    sub.cursor = fresh[fresh.length - 1].seq;
    this.#safely(() => sub.listener.onChanges(fresh));
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error("realtime: a subscriber threw:", err);
    }
  }

  /**
   * Subscribes to every change after `afterSeq` (null: from now on). A cursor
   * behind the hub is caught up from the log first; an unusable cursor gets
   * `onReset(head)` first.
   */
  subscribe(afterSeq: number | null, listener: ChangeListener): Subscription {
    const sub = new Sub(afterSeq ?? this.#cursor, listener, this);
    this.#subs.add(sub);
    if (afterSeq === null || afterSeq === this.#cursor) {
      sub.live = true;
    } else {
      this.#catchUp(sub).catch((err) => {
        if (!this.#closing) console.error("realtime: catch-up failed:", err);
        sub.close();
      });
    }
    return sub;
  }

  async #catchUp(sub: Sub): Promise<void> {
    // The first read always happens, so a cursor from the future is reset too.
    for (let first = true; !sub.closed && !this.#closing; first = false) {
      // Synchronous check-then-join: no change can slip between the two.
      if (!first && sub.cursor >= this.#cursor) {
        sub.live = true;
        return;
      }
      const { changes, head, reset } = await readAfter(this.kv, sub.cursor);
      if (sub.closed || this.#closing) return;
      if (reset) {
        sub.cursor = head;
        this.#safely(() => sub.listener.onReset(head));
        continue;
      }
      if (changes.length === 0) {
        // At the head, ahead of the hub (it has not heard the doorbell yet): join now.
        sub.live = true;
        return;
      }
      await this.prepare(changes);
      if (sub.closed || this.#closing) return;
      this.#deliver(sub, changes);
    }
  }

  /** @internal called by Subscription.close */
  unsubscribe(sub: Subscription): void {
    this.#subs.delete(sub as Sub);
  }

  /** Registers a live connection for shutdown; returns the function that unregisters it. */
  register(connection: HubConnection): () => void {
    this.#connections.add(connection);
    return () => {
      this.#connections.delete(connection);
      if (this.#connections.size === 0) this.#drained?.();
    };
  }

  /** Number of registered connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Tracks a commit in flight, so shutdown waits for it. Returns the same promise. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const done = () => this.#inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Shutdown: refuse new connections, close every live one with 1012 (clients
   * reconnect and resume from their cursors), wait for in-flight commits, and
   * stop watching.
   */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const drained = new Promise<void>((resolve) => this.#drained = resolve);
    for (const connection of [...this.#connections]) {
      try {
        connection.close(CLOSE_RESTART, "Server restarting; reconnect and resume");
      } catch { /* already closed */ }
    }
    // Let the close frames go out (the server's own shutdown would say 1001), but not forever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (this.#connections.size > 0) {
      await Promise.race([
        drained,
        new Promise((r) => timer = setTimeout(r, CLOSE_WAIT_MS)),
      ]);
    }
    clearTimeout(timer);
    this.#connections.clear();
    await Promise.allSettled([...this.#inFlight]);
    this.local.bell.removeEventListener("change", this.#ring);
    await this.#doorbell.close();
    await Promise.allSettled([this.#pumpDone]);
    for (const sub of this.#subs) sub.closed = true;
    this.#subs.clear();
    this.#topics.clear();
    this.#accounts.clear();
  }
}
