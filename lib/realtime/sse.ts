/**
 * The staff event stream (`GET /api/v1/stream`) as server-sent events.
 *
 * Each change the viewer may see is one SSE event: `event:` the change type
 * (e.g. `message.created`), `id:` the cursor right after it (one seq per
 * change-log shard, "12.0.7.3": lib/store/change_shards.ts), `data:` the
 * change as JSON. A reconnect sends `Last-Event-ID` (EventSource does it by
 * itself; a fresh page may pass `?after=CURSOR`; a single number from before
 * the shards is still understood) and receives what it missed, in order,
 * once. A cursor the log cannot serve gets `event: reset` with `id: head`:
 * reload the lists, then keep listening. The first event of every
 * stream is `event: ready` with `id:` the cursor it starts from, so a client
 * that starts fresh learns a cursor even when nothing happens.
 * After a batch that moved the Pending queue, `event: queue` (no id) carries
 * `{pending, byTeam}`. A `: ping` comment every 15 s keeps idle streams open
 * through proxies. When the viewer's own account changes (role, team, active
 * flag; committed on any instance), nothing more is sent until their access
 * is worked out again: a deactivated account gets `event: signed_out` and the
 * stream ends; a new role or team gets `event: reset` (with `data.reason:
 * "access_changed"`) and the stream goes on with what they may see now.
 *
 * Writes never block the hub: each stream has its own queue, drained by its
 * own writer; a client that lets more than {@link MAX_SSE_QUEUED} pile up behind
 * a write it has not taken is disconnected (it reconnects and resumes from its
 * cursor).
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Change, Cursor } from "../store/changes.ts";
import { encodeCursor, parseCursorText } from "../store/change_shards.ts";
import type { Hub } from "./hub.ts";
import { MAX_SSE_QUEUED, SSE_HEARTBEAT_MS } from "./limits.ts";

/** Decides per change whether this stream's viewer sees it, and may project it. */
export type ChangeView = (change: Change) => Change | null;

/** What {@link staffStream} needs. */
export interface StaffStreamOptions {
  hub: Hub;
  /** The cursor to resume after ({@link parseCursor}'s numbers), or null to start from now. */
  after: readonly number[] | null;
  view: ChangeView;
  /** Extra events after a batch (no `id`: they are not cursors), e.g. the queue length. */
  extra?: (changes: Change[]) => { event: string; data: unknown }[];
  /** Heartbeat comment interval (default {@link SSE_HEARTBEAT_MS}). */
  heartbeatMs?: number;
  /** Characters allowed to wait behind an untaken write (default {@link MAX_SSE_QUEUED}). */
  maxQueued?: number;
  /** Called once when the stream ends (client gone, too slow, or shutdown). */
  onEnd?: () => void;
  /**
   * Whether the viewer may still listen (session alive, account active),
   * asked at every heartbeat; when it answers false the stream sends
   * `event: signed_out` and ends.
   */
  recheck?: () => Promise<boolean>;
  /**
   * The viewer's own account changes (`isOwnChange`, e.g. their
   * `agent.updated`, committed on any instance): from that change on, nothing
   * is sent until `rebuild` has worked out what they may see now. null ends
   * the stream (`signed_out`); a view whose access `changed` (role, team)
   * replaces the old one and the stream sends `event: reset` (reload
   * everything) instead of the changes held meanwhile; otherwise the held
   * changes go out through the new view.
   */
  reauthorize?: {
    isOwnChange: (change: Change) => boolean;
    rebuild: () => Promise<{ view: ChangeView; changed: boolean } | null>;
  };
}

/**
 * Parses a `Last-Event-ID` / `?after=` cursor: digits, one group per shard
 * with dots between (or one number, from before the shards); null when absent.
 */
export function parseCursor(raw: string | undefined | null): number[] | null | "invalid" {
  return parseCursorText(raw);
}

/** Answers the request with the live event stream. */
export function staffStream(c: Context, options: StaffStreamOptions): Response {
  const { hub } = options;
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    const queue: string[] = [];
    let queued = 0;
    /** A write is out and not yet taken by the connection. */
    let writing = false;
    let wake: (() => void) | null = null;
    let ended = false;
    const end = (abort = false) => {
      if (ended) return;
      ended = true;
      // A write stuck on a client that stopped reading is released by aborting.
      if (abort) stream.abort();
      wake?.();
    };
    const push = (text: string) => {
      if (ended) return;
      queue.push(text);
      queued += text.length;
      // Only what piles up behind a write the client has not taken counts: a big catch-up page
      // pushed while the writer is idle goes out in one write.
      if (writing && queued > (options.maxQueued ?? MAX_SSE_QUEUED)) {
        // Too slow: drop it rather than hold memory; it resumes from its cursor.
        queue.length = 0;
        end(true);
        return;
      }
      wake?.();
    };
    const event = (type: string, id: string, data: unknown) =>
      push(`event: ${type}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
    /** Where the stream is: the cursor after the last change it passed (sent or not). */
    let position: Cursor = [];
    const passed = (change: Change) => {
      position[change.shard] = change.seq;
      return encodeCursor(position);
    };
    let rechecking = false;
    const recheck = async () => {
      if (!options.recheck || rechecking || ended) return;
      rechecking = true;
      try {
        if (!(await options.recheck())) signedOut();
      } catch (err) {
        console.warn("sse: recheck failed; will ask again at the next heartbeat:", err);
      } finally {
        rechecking = false;
      }
    };
    const signedOut = () => {
      push(`event: signed_out\ndata: {}\n\n`);
      end();
    };
    let view = options.view;
    /** Changes held while an own account change is worked out (null: not holding). */
    let held: Change[] | null = null;
    const send = (changes: Change[]) => {
      for (const change of changes) {
        const id = passed(change);
        const seen = view(change);
        if (seen) event(seen.type, id, seen);
      }
      for (const more of options.extra?.(changes) ?? []) {
        push(`event: ${more.event}\ndata: ${JSON.stringify(more.data)}\n\n`);
      }
    };
    const reauthorize = async () => {
      try {
        const next = await options.reauthorize!.rebuild();
        if (!next) return signedOut();
        view = next.view;
        const waiting = held ?? [];
        held = null;
        if (!next.changed) return send(waiting);
        for (const change of waiting) passed(change);
        const cursor = encodeCursor(position);
        event("reset", cursor, { cursor, reason: "access_changed" });
      } catch (err) {
        // Cannot tell what the viewer may see now: end; the client reconnects and starts afresh.
        console.warn("sse: re-checking access failed; ending the stream:", err);
        end();
      }
    };
    const onChanges = (changes: Change[]) => {
      if (held) return void held.push(...changes);
      const own = options.reauthorize ? changes.findIndex(options.reauthorize.isOwnChange) : -1;
      if (own < 0) return send(changes);
      send(changes.slice(0, own + 1)); // the change itself is news for everyone
      held = changes.slice(own + 1);
      void reauthorize();
    };

    stream.onAbort(() => end());
    const unregister = hub.register({
      close: () => {
        push(`event: restart\ndata: {}\n\n`);
        end();
      },
    });
    if (hub.closing) end();
    const sub = hub.subscribe(options.after, {
      onChanges,
      onReset(head) {
        if (held) held.length = 0; // the reset reloads everything anyway
        position = [...head];
        const cursor = encodeCursor(head);
        event("reset", cursor, { cursor });
      },
    });
    position = [...sub.cursor];
    // A cursor the hub could not place (another store's) is named as given; its reset follows.
    const start = sub.cursor.some((seq) => seq === Number.MAX_SAFE_INTEGER)
      ? encodeCursor(options.after ?? [])
      : encodeCursor(position);
    event("ready", start, { cursor: start });
    const heartbeat = setInterval(
      () => {
        push(": ping\n\n");
        void recheck();
      },
      options.heartbeatMs ?? SSE_HEARTBEAT_MS,
    );
    try {
      while (!ended || queue.length > 0) {
        if (queue.length === 0) {
          await new Promise<void>((r) => wake = r);
          wake = null;
          continue;
        }
        const chunk = queue.join("");
        queue.length = 0;
        queued = 0;
        writing = true;
        await stream.write(chunk);
        writing = false;
        if (stream.aborted) end();
        if (ended && stream.aborted) break;
      }
    } finally {
      clearInterval(heartbeat);
      sub.close();
      unregister();
      options.onEnd?.();
    }
  });
}
