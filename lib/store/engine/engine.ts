/**
 * The engine object: everything the conversation engine keeps in memory for
 * one KV store in this process, in one place. Built once at start
 * (lib/server.ts, as `deps.engine`) and passed to every function that commits
 * a state change; reads take the plain `kv`. Tests build one per store with
 * `new Engine(kv)`.
 *
 * Nothing here is the truth (KV is): each part only saves work, and each is
 * safe to lose (a fresh Engine on the same store behaves the same, only
 * slower at first). docs/engine.md, "The engine object", lists the parts.
 *
 * @example
 * const engine = new Engine(await Deno.openKv(":memory:"));
 * await receiveCustomerMessage(engine, { channel: "webchat", ... });
 */
import { LocalChanges } from "../local_changes.ts";
import { CommitQueue, Turns } from "./commit_queue.ts";
import { RouteGuesses } from "./customer_reads.ts";
import { EntryCache } from "./entry_cache.ts";

/** The automatic-assignment pass running now, which further calls join (./assignment.ts). */
export interface AssignmentRun {
  run: Promise<number>;
  /** A call arrived during the run: go round once more. */
  again: boolean;
}

export class Engine {
  /** This process's engine attempts take turns (./tx.ts). */
  readonly turns = new Turns();
  /** The newest change head seen, and the local doorbell (../changes.ts). */
  readonly changes = new LocalChanges();
  /** Entries read or committed lately, for attempts to build on (./entry_cache.ts). */
  readonly entries = new EntryCache();
  /** Where each channel identity's messages went last (./customer_reads.ts). */
  readonly routes = new RouteGuesses();
  /** The attempts waiting to commit, grouped while a commit is in flight (./commit_queue.ts). */
  readonly commits: CommitQueue;
  /** The assignment pass in progress, or null (./assignment.ts `runAssignment`). */
  assignment: AssignmentRun | null = null;
  /**
   * Signing keys imported from secrets kept in this store, by name (e.g. the
   * visitor tokens', lib/auth/visitor_token.ts): imported once per process.
   */
  readonly signingKeys = new Map<string, Promise<CryptoKey>>();
  /** When a team (key "" for no team) was last seen with someone Online (./staffed.ts). */
  readonly staffed = new Map<string, { at: number }>();

  constructor(
    readonly kv: Deno.Kv,
    /** `maxGroup`: attempts committed together at most (1 = one commit each, as before). */
    options: { maxGroup?: number } = {},
  ) {
    this.commits = new CommitQueue(this, options.maxGroup);
  }
}
