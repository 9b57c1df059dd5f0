/**
 * Waiting visitors' place in the queue and estimated wait, kept live (issue
 * 16, item 5): each visitor socket subscribed to its conversation registers
 * here, and after every batch of changes that could move the Pending queue
 * (arrivals, pickups and assignments, requeues, transfers to a queue, closes:
 * QUEUE_CHANGES), on whichever instance it was committed, every waiting
 * visitor of this instance whose standing changed gets it once.
 *
 * Cost: nothing per message. The places come from the one read of the queue
 * the hub's `prepare` already makes after such a batch (RecordCache.readQueue,
 * which also gives the staff stream's queue length), computed for every queued
 * chat in one pass (lib/domain/queue_place.ts); the pickup stats are one small
 * metrics read per team with someone waiting here. Runs coalesce: a batch
 * arriving during a refresh makes it go round once more.
 */
import { NOT_QUEUED, type QueueStanding, standingAt } from "../domain/queue_place.ts";
import type { PickupStats } from "../domain/queue_place.ts";
import { readPickupStats } from "../store/engine/queue_standing.ts";
import type { Hub, Subscription } from "./hub.ts";
import { QUEUE_CHANGES, type RecordCache } from "./records.ts";

/** Told of a waiting visitor's standing whenever it changes (both fields null: not queued). */
export type StandingListener = (standing: QueueStanding) => void;

/** "Not queued" as told (most waiting visitors' standing once an agent has their chat). */
const NOT_QUEUED_JSON = JSON.stringify(NOT_QUEUED);

interface Watcher {
  listener: StandingListener;
  /** What it was last told (as JSON; "" before the first), so it hears only changes. */
  last: string;
}

export class QueueWatch {
  #waiting = new Map<string, Set<Watcher>>();
  #sub: Subscription | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #reread = false;

  constructor(readonly kv: Deno.Kv, readonly hub: Hub, readonly records: RecordCache) {}

  /** Starts following the hub (after hub.start()). */
  start(): void {
    this.#sub ??= this.hub.subscribe(null, {
      onChanges: (changes) => {
        if (changes.some((c) => QUEUE_CHANGES.has(c.type))) this.refresh();
      },
      // The hub lost its place in the log: read the queue afresh.
      onReset: () => this.refresh(true),
    });
  }

  close(): void {
    this.#sub?.close();
    this.#sub = null;
    this.#waiting.clear();
  }

  /** Number of conversations watched here (tests). */
  get watched(): number {
    return this.#waiting.size;
  }

  /**
   * Tells `listener` the conversation's standing now (queued or not) and
   * after every change of it; returns the function that stops.
   */
  watch(conversationId: string, listener: StandingListener): () => void {
    let set = this.#waiting.get(conversationId);
    if (!set) this.#waiting.set(conversationId, set = new Set());
    // The first standing is always told, "not queued" too: a client that was away (a reconnect)
    // learns where it stands now.
    const watcher: Watcher = { listener, last: "" };
    set.add(watcher);
    this.refresh();
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.#waiting.get(conversationId) === set) {
        this.#waiting.delete(conversationId);
      }
    };
  }

  /** Works out every watched standing again (coalesced); `reread` reads the queue first. */
  refresh(reread = false): Promise<void> {
    this.#reread ||= reread;
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    if (this.#waiting.size === 0) return Promise.resolve();
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#tellAll();
        } while (this.#again && this.#waiting.size > 0);
      } catch (err) {
        console.error("realtime: working out queue places failed:", err);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async #tellAll(): Promise<void> {
    if (this.#reread || !this.records.places) {
      this.#reread = false;
      await this.records.readQueue();
    }
    const { places, teams } = this.records.places!;
    const teamIds = new Set<string | null>();
    for (const id of this.#waiting.keys()) if (places.has(id)) teamIds.add(teams.get(id) ?? null);
    const now = Date.now();
    const stats = new Map<string | null, PickupStats>();
    await Promise.all([...teamIds].map(async (teamId) => {
      stats.set(teamId, await readPickupStats(this.kv, teamId, now));
    }));
    for (const [id, watchers] of this.#waiting) {
      const place = places.get(id) ?? null;
      const standing = standingAt(place, place === null ? null : stats.get(teams.get(id) ?? null)!);
      // Every queue change visits every watcher here: the usual "not queued" costs no new string.
      const json = place === null ? NOT_QUEUED_JSON : JSON.stringify(standing);
      for (const w of watchers) {
        if (w.last === json) continue;
        w.last = json;
        try {
          w.listener(standing);
        } catch (err) {
          console.error("realtime: a queue listener threw:", err);
        }
      }
    }
  }
}
