/**
 * One WebSocket connection of `/ws/agent` (staff chat panes) or `/ws/visitor`
 * (the widget), speaking the frames of ./protocol.ts.
 *
 * - Every client frame is parsed with zod; a bad one gets an `error` frame
 *   naming the problem and the socket stays open. Frames are rate-limited per
 *   connection (token buckets in ./limits.ts); visitor sends also count
 *   against the visitor's own allowance (per instance, in memory: see
 *   `Realtime.visitorSends`). Many refusals in a row close the socket (1008).
 * - Every frame is authorised on its own: staff are re-read (a deactivated
 *   account or an ended session closes the socket) and may only touch the
 *   conversations the engine's `canView` allows; a visitor only its own
 *   contact's web chats.
 * - `subscribe {afterSeq}` (an `afterSeq` beyond the log gets `reset` and the
 *   whole log) registers a per-conversation hub listener, THEN
 *   reads the log after `afterSeq`, then passes live entries on; the
 *   per-conversation seq makes the switch from catch-up to live gap-free and
 *   duplicate-free. Catch-up and live deliveries run through one queue per
 *   connection, so they stay in order. Idle sockets cost the hub nothing: it
 *   only calls the listeners of the conversations a batch of changes is about.
 * - `send` is acknowledged with the stored seq only after the commit (the
 *   engine stores a clientId once; a retry is acked with the same seq).
 * - A client that stops reading is closed (1013) once its socket buffers more
 *   than MAX_QUEUED_BYTES, so it cannot hold memory or slow the others.
 */
import type { Conversation, Message } from "../domain/engine_types.ts";
import { canView } from "../domain/permissions.ts";
import { AppError } from "../errors.ts";
import type { Agent } from "../store/agents.ts";
import type { Change } from "../store/changes.ts";
import { listMessagesForStaff, markRead } from "../store/engine/messages.ts";
import { getConversation, getMessage } from "../store/engine/records.ts";
import {
  CATCH_UP_PAGE,
  CLOSE_POLICY,
  CLOSE_TOO_SLOW,
  DRAIN_BELOW_BYTES,
  DRAIN_WAIT_MS,
  FRAME_BURST,
  FRAMES_PER_SECOND,
  MAX_QUEUED_BYTES,
  MAX_REFUSALS_IN_A_ROW,
  MAX_SUBSCRIPTIONS,
  RECHECK_MS,
  SEND_BURST,
  SENDS_PER_SECOND,
  TokenBucket,
  TYPING_REPEAT_MS,
} from "./limits.ts";
import {
  type Actor,
  type ClientFrame,
  MAX_FRAME_BYTES,
  MAX_TEXT_CHARS,
  parseClientFrame,
  type ServerFrame,
} from "./protocol.ts";
import { commitSend, type Identity, type SocketLike, visitorMaySee } from "./access.ts";
import { entryFrame, eventFrame, NEW_CONVERSATION, signalFrame } from "./frames.ts";
import type { Realtime } from "./realtime.ts";
import type { TypingSignal } from "./typing.ts";

interface ConversationState {
  /** The newest log seq sent (or skipped as not visible) on this connection. */
  lastSeq: number;
  /** Stops the hub and typing listeners of this conversation. */
  off: () => void;
  /** When this connection last published "typing: true" here (0: not typing). */
  typingAt?: number;
}

/** One WebSocket connection: its subscriptions, limits and frame handling. */
export class SocketSession {
  #subs = new Map<string, ConversationState>();
  #frames = new TokenBucket(FRAME_BURST, FRAMES_PER_SECOND);
  #sends = new TokenBucket(SEND_BURST, SENDS_PER_SECOND);
  #refusals = 0;
  #queue: Promise<void> = Promise.resolve();
  #cleanup: (() => void)[] = [];
  #closed = false;
  #agent: Agent | null;
  #checkedAt = Date.now();
  /** The account changed and access is being re-checked: hold what is not queued. */
  #suspended = false;

  constructor(
    readonly realtime: Realtime,
    readonly identity: Identity,
    readonly socket: SocketLike,
  ) {
    this.#agent = identity.kind === "staff" ? identity.agent : null;
  }

  get #kv(): Deno.Kv {
    return this.realtime.kv;
  }

  /** Who this connection is, as others see it in typing and read frames. */
  get #actor(): Actor {
    return this.#agent
      ? { kind: "agent", id: this.#agent.id, name: this.#agent.name }
      : { kind: "visitor", id: null, name: null };
  }

  open(): void {
    const { hub, presence } = this.realtime;
    if (hub.closing) {
      this.socket.close(1012, "Server restarting; reconnect and resume");
      return;
    }
    this.#cleanup.push(hub.register({ close: (code, reason) => this.close(code, reason) }));
    if (this.#agent) {
      this.#cleanup.push(presence.connect(this.#agent.id));
      this.#cleanup.push(hub.watchAgent(this.#agent.id, () => this.#onAccountChange()));
    }
    const identity = this.identity;
    this.send({
      type: "hello",
      role: identity.kind === "staff" ? identity.agent.role : "visitor",
      id: identity.kind === "staff" ? identity.agent.id : identity.access.claims.visitorId,
      maxTextChars: MAX_TEXT_CHARS,
      maxFrameBytes: MAX_FRAME_BYTES,
    });
  }

  /** Sends a frame, or closes a connection whose client stopped reading. */
  send(frame: ServerFrame): void {
    if (this.#closed) return;
    if ((this.socket.bufferedAmount ?? 0) > MAX_QUEUED_BYTES) {
      this.close(CLOSE_TOO_SLOW, "Too slow: send queue full; reconnect and resume");
      return;
    }
    try {
      this.socket.send(JSON.stringify(frame));
    } catch {
      this.onClose();
    }
  }

  /** Closes from our side: nothing more is sent; the registry lets go when the socket is closed. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#teardown();
    try {
      this.socket.close(code, reason);
    } catch {
      this.onClose();
    }
  }

  /** The socket is closed (either side): drop every subscription and registration. */
  onClose(): void {
    this.#teardown();
    for (const fn of this.#cleanup.splice(0)) fn();
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const state of this.#subs.values()) state.off();
    this.#subs.clear();
  }

  #error(code: string, message: string, ref?: string, details?: Record<string, unknown>): void {
    this.send({
      type: "error",
      code,
      message,
      ...(ref ? { ref: ref.slice(0, 100) } : {}),
      ...(details ? { details } : {}),
    });
  }

  #refuse(code: string, message: string, ref?: string, details?: Record<string, unknown>): void {
    this.#error(code, message, ref, details);
    if (++this.#refusals >= MAX_REFUSALS_IN_A_ROW) {
      this.close(CLOSE_POLICY, "Too many refused frames");
    }
  }

  #enqueue(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(() => this.#closed ? undefined : work()).catch((err) => {
      if (!this.#closed) console.error("realtime: socket work failed:", err);
    });
  }

  /** Handles one raw client frame. Never throws. */
  onMessage(raw: unknown): void {
    if (this.#closed) return;
    if (!this.#frames.take()) {
      this.#refuse("rate_limited", `Too many frames; at most ${FRAMES_PER_SECOND} per second.`);
      return;
    }
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) {
      const { code, message, ref } = parsed.problem;
      this.#refuse(code, message, ref);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === "ping") {
      this.#refusals = 0;
      this.send({ type: "pong" });
      // A socket that only pings is re-checked too (an ended session; the account's own
      // changes arrive at once through #onAccountChange).
      this.#enqueue(() => this.#recheck());
      return;
    }
    if (frame.type === "send" && !this.#sends.take()) {
      this.#refuse(
        "rate_limited",
        `Too many messages; at most ${SENDS_PER_SECOND} per second.`,
        frame.clientId,
      );
      return;
    }
    const run = this.#handle(frame).catch((err) => {
      const ref = frame.type === "send" ? frame.clientId : frame.conversationId;
      if (err instanceof AppError) {
        // The same details the HTTP API answers with (e.g. window_closed's closedAt).
        const details = err.status !== 429 && err.details && typeof err.details === "object"
          ? err.details as Record<string, unknown>
          : undefined;
        this.#refuse(err.status === 429 ? "rate_limited" : err.code, err.message, ref, details);
      } else {
        console.error("realtime: frame failed:", err);
        this.#error("internal", "Something went wrong on our side; try again.", ref);
      }
    });
    if (frame.type === "send") this.realtime.hub.track(run);
  }

  async #handle(frame: Exclude<ClientFrame, { type: "ping" }>): Promise<void> {
    await this.#recheck();
    if (this.#closed) return;
    switch (frame.type) {
      case "subscribe":
        return await this.#subscribe(frame.conversationId, frame.afterSeq ?? 0);
      case "unsubscribe": {
        this.#subs.get(frame.conversationId)?.off();
        this.#subs.delete(frame.conversationId);
        this.#refusals = 0;
        return;
      }
      case "send":
        return await this.#send(frame);
      case "typing":
      case "read":
        return await this.#signal(frame);
    }
  }

  /**
   * Staff: the account must still be active and the session alive (every
   * 5 s). Visitors: the token, its site and the page's origin must still be
   * accepted (every `realtime.visitorRecheckMs`, a minute).
   */
  async #recheck(): Promise<void> {
    const every = this.identity.kind === "visitor" ? this.realtime.visitorRecheckMs : RECHECK_MS;
    if (Date.now() - this.#checkedAt < every) return;
    this.#checkedAt = Date.now();
    if (this.identity.kind === "visitor") {
      if (!(await this.identity.recheck())) {
        this.close(CLOSE_POLICY, "Visitor access ended; start a new chat session");
      }
      return;
    }
    const agent = await this.identity.recheck();
    if (!agent) {
      this.close(CLOSE_POLICY, "Session ended; sign in again");
      return;
    }
    this.#agent = agent;
  }

  /**
   * The staff member's account changed (role, team, active flag), committed on
   * any instance: nothing more reaches them until their access is re-checked
   * (this runs first in the connection's queue, and typing waits for it). A
   * deactivated account is closed; subscriptions they may no longer see end
   * with `access_lost`.
   */
  #onAccountChange(): void {
    this.#suspended = true;
    this.#checkedAt = 0;
    this.#enqueue(async () => {
      try {
        await this.#recheck();
        for (const [id, state] of [...this.#subs]) {
          if (this.#closed || !this.#agent) return;
          const conv = await getConversation(this.#kv, id);
          if (conv && canView(this.#agent, conv)) continue;
          state.off();
          this.#subs.delete(id);
          this.#error("access_lost", "You no longer have access to this conversation.", id);
        }
      } catch (err) {
        console.warn("realtime: re-checking access failed; closing the socket:", err);
        this.close(CLOSE_POLICY, "Access could not be checked; reconnect");
      } finally {
        this.#suspended = false;
      }
    });
  }

  /** The conversation if this connection may see it; an error frame (and null) otherwise. */
  async #authorize(conversationId: string): Promise<Conversation | null> {
    const conv = await getConversation(this.#kv, conversationId);
    if (conv && (await this.#maySee(conv))) return conv;
    // Unknown and forbidden look the same, so ids cannot be probed.
    this.#refuse(
      "forbidden",
      "You may not see this conversation (or it does not exist).",
      conversationId,
    );
    return null;
  }

  #maySee(conv: Conversation): Promise<boolean> {
    if (this.#agent) return Promise.resolve(canView(this.#agent, conv));
    return this.identity.kind === "visitor"
      ? visitorMaySee(this.#kv, this.identity.access.claims.visitorId, conv)
      : Promise.resolve(false);
  }

  async #subscribe(conversationId: string, afterSeq: number): Promise<void> {
    if (!this.#subs.has(conversationId) && this.#subs.size >= MAX_SUBSCRIPTIONS) {
      this.#refuse(
        "too_many_subscriptions",
        `At most ${MAX_SUBSCRIPTIONS} conversations per connection; unsubscribe first.`,
        conversationId,
      );
      return;
    }
    const conv = await this.#authorize(conversationId);
    if (!conv || this.#closed) return;
    this.#refusals = 0;
    // A cursor beyond the log (another store's, or made up) cannot be resumed: like the event
    // stream's reset, say so and send the whole log (otherwise live entries up to it were lost).
    const beyond = afterSeq > conv.lastSeq;
    this.#subs.get(conversationId)?.off();
    // Listen first, then read the log: whatever commits in between arrives twice and the
    // seq drops the copy; nothing can fall between the two.
    const offHub = this.realtime.hub.listen(conversationId, {
      onChanges: (changes) => this.#enqueue(() => this.#live(changes)),
      // The hub lost its place in the log (it expired): re-read from our seq.
      onReset: () => this.#enqueue(() => this.#catchUp(conversationId)),
    });
    const offTyping = this.realtime.typing.on(conversationId, (s) => this.#onSignal(s));
    // A visitor hears its place and estimated wait while the chat waits (./queue_watch.ts); not
    // for an offline message, whose customer waits for an email.
    const offQueue = this.#agent || conv.offlineMessage ? null : this.realtime.queue.watch(
      conversationId,
      (standing) => this.send({ type: "queue", conversationId, ...standing }),
    );
    if (beyond) this.send({ type: "reset", conversationId, seq: conv.lastSeq });
    this.#subs.set(conversationId, {
      lastSeq: beyond ? 0 : afterSeq,
      off: () => {
        offHub();
        offTyping();
        offQueue?.();
      },
    });
    this.#enqueue(async () => {
      await this.#catchUp(conversationId);
      const state = this.#subs.get(conversationId);
      if (state) this.send({ type: "subscribed", conversationId, seq: state.lastSeq });
    });
  }

  /** Sends the log after the conversation's lastSeq (in the connection's queue). */
  async #catchUp(conversationId: string): Promise<void> {
    for (;;) {
      const state = this.#subs.get(conversationId);
      if (!state || this.#closed) return;
      const batch = await listMessagesForStaff(
        this.#kv,
        conversationId,
        state.lastSeq,
        CATCH_UP_PAGE,
      );
      if (this.#subs.get(conversationId) !== state) return;
      for (const m of batch) this.#sendEntry(state, m);
      if (batch.length < CATCH_UP_PAGE) return;
      // A long log on a slow link: let the socket drain before the next page (flow control),
      // so catching up is never mistaken for a client that stopped reading.
      if (!(await this.#drained())) {
        this.close(CLOSE_TOO_SLOW, "Too slow: send queue full; reconnect and resume");
        return;
      }
    }
  }

  /** Waits until the socket's unsent bytes fall below a page's worth; false after a long wait. */
  async #drained(): Promise<boolean> {
    const deadline = Date.now() + DRAIN_WAIT_MS;
    while ((this.socket.bufferedAmount ?? 0) > DRAIN_BELOW_BYTES) {
      if (this.#closed || Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return !this.#closed;
  }

  #sendEntry(state: ConversationState, m: Message): void {
    if (m.seq <= state.lastSeq) return;
    state.lastSeq = m.seq;
    const frame = entryFrame(m, this.#agent !== null);
    if (frame) this.send(frame);
  }

  /** Live changes for the subscribed conversations (in the connection's queue). */
  async #live(changes: Change[]): Promise<void> {
    const { records } = this.realtime;
    for (const change of changes) {
      const id = change.conversationId;
      const state = id ? this.#subs.get(id) : undefined;
      if (!id || !state) continue;
      if (change.type === "message.created") {
        const seq = change.data?.seq;
        if (typeof seq !== "number" || seq <= state.lastSeq) continue;
        if (seq > state.lastSeq + 1) {
          // Entries between (e.g. a catch-up still behind): read them in order first.
          await this.#catchUp(id);
          continue;
        }
        const m = records.message(id, seq) ?? await getMessage(this.#kv, id, seq);
        if (m && this.#subs.get(id) === state) this.#sendEntry(state, m);
        continue;
      }
      const conv = records.conversation(id) ?? await getConversation(this.#kv, id);
      const frame = eventFrame(change, conv, this.#agent !== null);
      if (frame) this.send(frame);
      if (this.#agent && conv && !canView(this.#agent, conv)) {
        // E.g. transferred away: the agent keeps the event, then loses the subscription.
        state.off();
        this.#subs.delete(id);
        this.#error("access_lost", "You no longer have access to this conversation.", id);
      }
    }
  }

  async #send(frame: Extract<ClientFrame, { type: "send" }>): Promise<void> {
    // A visitor's first message has no conversation yet: it sends with conversationId "new".
    const first = this.identity.kind === "visitor" && frame.conversationId === NEW_CONVERSATION;
    // A subscribed conversation was authorised at subscribe time and loses its subscription
    // when access ends (#live); the engine checks the write rules again in the commit.
    const known = this.#subs.has(frame.conversationId);
    const conv = first || known ? null : await this.#authorize(frame.conversationId);
    if ((!conv && !first && !known) || this.#closed) return;
    if (this.identity.kind === "visitor" && frame.internal) {
      this.#refuse("forbidden", "Visitors cannot write internal notes.", frame.clientId);
      return;
    }
    if (
      this.identity.kind === "visitor" &&
      !this.realtime.visitorSends.take(this.identity.access.claims.visitorId)
    ) {
      this.#refuse(
        "rate_limited",
        "Too many messages from this visitor; slow down.",
        frame.clientId,
      );
      return;
    }
    const stored = await commitSend(this.realtime.engine, this.identity, this.#agent, frame);
    this.#refusals = 0;
    this.send({ type: "ack", clientId: frame.clientId, ...stored });
  }

  async #signal(frame: Extract<ClientFrame, { type: "typing" | "read" }>): Promise<void> {
    if (!this.#subs.has(frame.conversationId)) {
      // Cheap rule: signals only for subscribed (hence authorised) conversations.
      this.#refuse("not_subscribed", "Subscribe to the conversation first.", frame.conversationId);
      return;
    }
    this.#refusals = 0;
    if (frame.type === "typing") {
      const state = this.#subs.get(frame.conversationId)!;
      const now = Date.now();
      if (frame.typing ? now - (state.typingAt ?? 0) < TYPING_REPEAT_MS : !state.typingAt) return;
      state.typingAt = frame.typing ? now : 0;
      await this.realtime.typing.publish({
        conversationId: frame.conversationId,
        from: this.#actor,
        typing: frame.typing,
      });
      return;
    }
    let seq = frame.seq;
    if (this.#agent) {
      seq = await markRead(this.realtime.engine, frame.conversationId, this.#agent.id, seq);
    }
    await this.realtime.typing.publish({
      conversationId: frame.conversationId,
      from: this.#actor,
      kind: "read",
      typing: false,
      seq,
    });
  }

  #onSignal(signal: TypingSignal): void {
    if (this.#suspended) return; // access is being re-checked: typing is not worth waiting for
    const frame = signalFrame(signal, this.#actor, this.#agent !== null);
    if (frame) this.send(frame);
  }
}
