/**
 * The real-time hub: one per app instance. It turns the KV change log
 * (lib/store/changes.ts) into ordered, gap-free, duplicate-free event streams
 * for the SSE and WebSocket connections of this instance.
 *
 * How it works:
 * - ONE doorbell on the change-log shards' heads per instance (a watch holds
 *   10 keys: one per 10 shards) hears changes committed
 *   anywhere: `kv.watch`, plus a poll of the heads every `pollMs` on a local
 *   KV file, whose watch does not hear other processes (./doorbell.ts). The instance that
 *   commits rings its own process-local bell (the engine object's `changes`,
 *   lib/store/changes.ts LocalChanges) and is woken at
 *   once, without waiting for its watch. Watch coalesces, so the watch only
 *   says "something changed": the hub then reads the log from its own cursor
 *   (one snapshot of the heads, then each shard's news, per wake-up, shared by
 *   every subscriber) and hands each subscriber the changes after that
 *   subscriber's cursor, in commit order. A cursor is one seq per shard
 *   (lib/store/change_shards.ts); a subscriber gets a change once, when its
 *   seq is beyond the subscriber's cursor for its shard.
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
 * const sub = hub.subscribe(parseCursorText(lastEventId), {
 *   onChanges: (changes) => changes.forEach(send),
 *   onReset: (head) => send({ type: "reset", seq: head }),
 * });
 * // later
 * sub.close();
 */
import { type Change, type Cursor, readHead, type WrittenRecords } from "../store/changes.ts";
import { ChangeBellEvent, type LocalChanges } from "../store/local_changes.ts";
import { type ChangeLayout, changeLayout, covers, resolveCursor } from "../store/change_shards.ts";
import { keys } from "../store/keys.ts";
import { ChangeFeed, readAfter } from "./change_feed.ts";
import { Doorbell, type DoorbellOptions } from "./doorbell.ts";

/** What a subscriber receives. Both are called synchronously by the hub: never block in them. */
export interface ChangeListener {
  /** Changes after the subscriber's cursor, oldest first, each exactly once. */
  onChanges(changes: Change[]): void;
  /** The cursor cannot be resumed; the client must reload. Changes after `head` follow. */
  onReset(head: Cursor): void;
}

/** The change type of a staff account's change (lib/store/agents.ts). */
export const ACCOUNT_CHANGE = "agent.updated";

/** Told of one staff account's change, or null when one may have been missed. */
export type AccountListener = (change: Change | null) => void;

/** A live subscription; `cursor`: per shard, the seq of the last change delivered (or skipped by reset). */
export interface Subscription {
  readonly cursor: Cursor;
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
  constructor(public cursor: Cursor, readonly listener: ChangeListener, readonly hub: Hub) {}
  close() {
    if (this.closed) return;
    this.closed = true;
    this.hub.unsubscribe(this);
  }
}

/** The change hub of one app instance (see the module doc). */
export class Hub {
  #cursor: Cursor = [];
  #layout: ChangeLayout | null = null;
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
  #doorbells: Doorbell[] = [];
  #poll: Pick<DoorbellOptions, "pollMs" | "pollWhen">;
  #pumpDone: Promise<void> = Promise.resolve();
  #drained: (() => void) | null = null;
  #feed: ChangeFeed;
  #ring = (event: Event) => {
    const batch = event instanceof ChangeBellEvent ? event.batch : null;
    if (batch) {
      if (batch.changes.length === 0) return; // nothing was added to the log
      this.#feed.addOwn(batch, (event as ChangeBellEvent).versionstamp!);
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
    this.#poll = poll;
  }

  /** Per shard, the seq of the newest change this hub has read and dispatched. */
  get cursor(): Cursor {
    return this.#cursor;
  }

  /** The store's change-log layout (known once started). */
  get layout(): ChangeLayout {
    if (!this.#layout) throw new Error("hub not started");
    return this.#layout;
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
    const layout = this.#layout = await changeLayout(this.kv);
    const heads = await readHead(this.kv);
    this.local.learnHead(heads);
    this.#cursor = heads.cursor;
    this.local.bell.addEventListener("change", this.#ring);
    // A watch takes at most 10 keys: one doorbell per 10 shards.
    for (let from = 0; from < layout.shards; from += 10) {
      const shards = Array.from({ length: Math.min(10, layout.shards - from) }, (_, i) => from + i);
      const bell = new Doorbell(this.kv, shards.map((s) => keys.changeHead(s)), this.#heard, {
        ...this.#poll,
        label: "change heads",
      });
      this.#doorbells.push(bell);
      bell.start();
    }
  }

  /** A doorbell (watch, and the poll on a local file) saw heads: wake if one moved on. */
  #heard = (entries: Deno.KvEntryMaybe<unknown>[]): void => {
    let news = false;
    for (const entry of entries as Deno.KvEntryMaybe<number>[]) {
      // Another instance's commit moved a head: this instance's next commit builds on it.
      this.local.learnHead(entry);
      // A commit this hub already read (its own, delivered through the local bell) needs no
      // second look at the log.
      const shard = entry.key[1] as number;
      if (typeof entry.value === "number" && entry.value > (this.#cursor[shard] ?? 0)) news = true;
    }
    if (news) this.#wake();
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
        const { changes, head, next, more, reset, written } = await this.#feed.after(
          this.#cursor,
        );
        if (this.#closing) return;
        if (reset) {
          // The hub itself fell out of the log's window (or the store was reset).
          this.#cursor = head;
          for (const sub of this.#subs) {
            if (!sub.live) continue;
            sub.cursor = [...head];
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
        this.#cursor = next;
        this.#dispatch(changes);
        if (!more && !this.#feed.hasOwn) break;
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
    const cursor = sub.cursor;
    const isNew = (c: Change) => c.seq > (cursor[c.shard] ?? 0);
    // Seqs grow within a shard: compared with the cursor as it was, each new one is new.
    const fresh = changes.every(isNew) ? changes : changes.filter(isNew);
    if (fresh.length === 0) return;
    for (const c of fresh) cursor[c.shard] = c.seq;
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
   * Subscribes to every change after `after` (a cursor's numbers, as
   * lib/store/change_shards.ts `parseCursorText` reads them: one per shard,
   * or one from before the shards; null: from now on). A cursor behind the
   * hub is caught up from the log first; an unusable cursor gets
   * `onReset(head)` first.
   */
  subscribe(after: readonly number[] | null, listener: ChangeListener): Subscription {
    // A cursor this store never handed out: beyond every head, so the first read resets it.
    const resolved = after === null
      ? [...this.#cursor]
      : resolveCursor(after, this.layout) ?? this.#cursor.map(() => Number.MAX_SAFE_INTEGER);
    const sub = new Sub(resolved, listener, this);
    this.#subs.add(sub);
    if (after === null || resolved.every((seq, s) => seq === this.#cursor[s])) {
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
      // Synchronous check-then-join: no change can slip between the two. (At or beyond the
      // hub in every shard: everything after the hub's cursor reaches it from the hub, and
      // what it has seen already is skipped by its cursor.)
      if (!first && covers(sub.cursor, this.#cursor)) {
        sub.live = true;
        return;
      }
      const { changes, head, reset } = await readAfter(this.kv, sub.cursor);
      if (sub.closed || this.#closing) return;
      if (reset) {
        sub.cursor = [...head];
        this.#safely(() => sub.listener.onReset(head));
        continue;
      }
      // At the heads: the check above joins it once the hub is not ahead of it.
      if (changes.length === 0) continue;
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
    await Promise.all(this.#doorbells.map((bell) => bell.close()));
    await Promise.allSettled([this.#pumpDone]);
    for (const sub of this.#subs) sub.closed = true;
    this.#subs.clear();
    this.#topics.clear();
    this.#accounts.clear();
  }
}
