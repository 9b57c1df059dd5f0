/**
 * Test clients for the real-time routes: a WebSocket client that records
 * every frame, and an SSE reader that parses events from a real HTTP stream.
 * Waits carry a generous guard (a missing frame fails the test with a clear
 * message instead of hanging); they never assert on speed.
 */
import type { TestApp } from "./helpers.ts";
import { readChangesSince } from "../lib/store/changes.ts";

const GUARD_MS = 10_000;

// deno-lint-ignore no-explicit-any
export type Frame = any;

interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
}

function guard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Gave up waiting for ${what}`)), GUARD_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A WebSocket client that keeps every frame it received, in order. */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<CloseEvent>;
  #waiters: Waiter<Frame>[] = [];

  #guards = new Set<{ timer: ReturnType<typeof setTimeout>; reject: (e: Error) => void }>();

  private constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => {
      const frame = JSON.parse(String(e.data));
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => !(w.match(frame) && (w.resolve(frame), true)));
    };
    this.closed = new Promise((resolve) =>
      ws.addEventListener("close", (e) => {
        // Waits still open can never be met now: fail them at once, leaving no timers behind.
        for (const g of this.#guards) {
          clearTimeout(g.timer);
          g.reject(new Error("The socket closed"));
        }
        this.#guards.clear();
        this.#waiters = [];
        resolve(e);
      })
    );
  }

  static open(url: string, headers?: Record<string, string>): Promise<TestSocket> {
    // Deno's WebSocket takes headers (the session cookie) as a non-standard option.
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    const socket = new TestSocket(ws);
    return guard(
      new Promise((resolve, reject) => {
        ws.onopen = () => resolve(socket);
        ws.onerror = (e) =>
          reject(new Error(`WebSocket ${url} failed: ${(e as ErrorEvent).message}`));
      }),
      `the socket ${url} to open`,
    );
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame (received so far or later) after index `from` that matches. */
  waitFor(match: (f: Frame) => boolean, what = "a frame", from = 0): Promise<Frame> {
    const found = this.frames.slice(from).find(match);
    if (found) return Promise.resolve(found);
    if (this.ws.readyState === WebSocket.CLOSED) {
      return Promise.reject(new Error(`The socket closed before ${what}`));
    }
    return new Promise((resolve, reject) => {
      const g = {
        timer: setTimeout(() => {
          this.#guards.delete(g);
          reject(new Error(`Gave up waiting for ${what}`));
        }, GUARD_MS),
        reject,
      };
      this.#guards.add(g);
      this.#waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(g.timer);
          this.#guards.delete(g);
          resolve(f);
        },
      });
    });
  }

  /** Waits for the next frame of `type` received after now. */
  next(type: string, extra: (f: Frame) => boolean = () => true): Promise<Frame> {
    return this.waitFor(
      (f) => f.type === type && extra(f),
      `a "${type}" frame`,
      this.frames.length,
    );
  }

  /** Message seqs received for a conversation, in arrival order. */
  seqs(conversationId: string): number[] {
    return this.frames.filter((f) => f.type === "message" && f.conversationId === conversationId)
      .map((f) => f.message.seq);
  }

  close(): Promise<CloseEvent> {
    if (this.ws.readyState < WebSocket.CLOSING) this.ws.close();
    return this.closed;
  }
}

export interface SseEvent {
  event: string;
  id: string | null;
  data: Frame;
}

/** Reads server-sent events from a real HTTP response. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly done: Promise<void>;
  #waiters: Waiter<SseEvent>[] = [];
  #commentWaiters: Waiter<string>[] = [];
  #abort = new AbortController();

  private constructor(readonly response: Response) {
    this.done = this.#read();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const abort = new AbortController();
    const res = await fetch(url, { headers, signal: abort.signal });
    const reader = new SseReader(res);
    reader.#abort = abort;
    return reader;
  }

  async #read(): Promise<void> {
    if (!this.response.body) return;
    const decoder = new TextDecoderStream();
    let buffer = "";
    try {
      for await (const chunk of this.response.body.pipeThrough(decoder)) {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.#parse(block);
        }
      }
    } catch { /* aborted */ }
  }

  #parse(block: string): void {
    let event = "message";
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        this.comments.push(line);
        this.#commentWaiters = this.#commentWaiters.filter((w) =>
          !(w.match(line) && (w.resolve(line), true))
        );
      } else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    const parsed: SseEvent = { event, id, data: JSON.parse(data.join("\n")) };
    this.events.push(parsed);
    this.#waiters = this.#waiters.filter((w) => !(w.match(parsed) && (w.resolve(parsed), true)));
  }

  waitFor(match: (e: SseEvent) => boolean, what = "an event"): Promise<SseEvent> {
    const found = this.events.find(match);
    if (found) return Promise.resolve(found);
    return guard(new Promise((resolve) => this.#waiters.push({ match, resolve })), what);
  }

  /** Resolves once `count` comment lines (e.g. heartbeats) have arrived. */
  waitForComments(count: number): Promise<void> {
    if (this.comments.length >= count) return Promise.resolve();
    return guard(
      new Promise((resolve) =>
        this.#commentWaiters.push({
          match: () => this.comments.length >= count,
          resolve: () => resolve(),
        })
      ),
      `${count} comments`,
    );
  }

  /** Change seqs received (ids of change events), in order. */
  /** The ids of the change events (each the cursor right after its change). */
  ids(): string[] {
    return this.events.filter((e) => e.id !== null && e.event !== "ready" && e.event !== "reset")
      .map((e) => e.id!);
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.done;
  }
}

/** A web visitor: a session from the widget API and its token. */
export async function newVisitor(app: TestApp): Promise<{ token: string }> {
  const res = await app.api("POST", "/api/v1/widget/sessions", { body: {} });
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`widget session failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { token: res.body.visitorToken };
}

/** Sends a visitor message over the widget's HTTP API; returns the stored message. */
export async function visitorSays(
  app: TestApp,
  token: string,
  text: string,
  clientId = crypto.randomUUID(),
): Promise<Frame> {
  const res = await app.api("POST", "/api/v1/widget/messages", {
    body: { text, clientId },
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`visitor message failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export function wsUrl(app: { url: string }, path: string): string {
  return app.url.replace(/^http/, "ws") + path;
}

/**
 * The event ids a stream that sees every change sends between two cursors
 * (ids, "12.0.7.3"): one per change in the log after `from` up to `to`, in
 * commit order, each the cursor right after its change.
 */
export async function idsBetween(kv: Deno.Kv, from: string, to: string): Promise<string[]> {
  let cursor = from.split(".").map(Number);
  const end = to.split(".").map(Number);
  const ids: string[] = [];
  for (;;) {
    const { changes, next } = await readChangesSince(kv, cursor, 500);
    const position = [...cursor];
    for (const change of changes) {
      if (change.seq > end[change.shard]) return ids; // `to` is a snapshot: the rest is later
      position[change.shard] = change.seq;
      ids.push(position.join("."));
    }
    if (changes.length === 0 || position.every((seq, s) => seq >= end[s])) return ids;
    cursor = next;
  }
}
