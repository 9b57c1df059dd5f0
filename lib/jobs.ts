/**
 * Background jobs on the Deno KV queue. A KV handle takes one `listenQueue`,
 * so every kind of job goes through this one runner, dispatched by `type`.
 * Queues deliver at least once: handlers must be idempotent. A handler that
 * throws is retried by KV (with its backoff) until `backoffSchedule` runs out.
 *
 * @example
 * deps.jobs.on("whatsapp.send", async (payload) => { ... });
 * await deps.jobs.enqueue("whatsapp.send", { messageId }, { delay: 1000 });
 */

export interface JobMessage {
  type: string;
  payload: unknown;
}

export type JobHandler = (payload: unknown) => Promise<void>;

export class JobRunner {
  #handlers = new Map<string, JobHandler>();
  #listening: Promise<void> | null = null;
  #inFlight = new Set<Promise<void>>();
  #stopped = false;

  constructor(readonly kv: Deno.Kv) {}

  /** Registers the handler for one job type (one handler per type). */
  on(type: string, handler: JobHandler): void {
    if (this.#handlers.has(type)) {
      throw new Error(`A handler for job "${type}" is already registered`);
    }
    this.#handlers.set(type, handler);
  }

  async enqueue(
    type: string,
    payload: unknown,
    options: { delay?: number; backoffSchedule?: number[] } = {},
  ): Promise<void> {
    const message: JobMessage = { type, payload };
    await this.kv.enqueue(message, options);
  }

  /** Starts listening; safe to call once per KV handle. */
  start(): void {
    if (this.#listening) return;
    this.#listening = this.kv.listenQueue(async (raw: unknown) => {
      if (this.#stopped) throw new Error("shutting down; let KV redeliver");
      const message = raw as Partial<JobMessage>;
      const handler = typeof message?.type === "string"
        ? this.#handlers.get(message.type)
        : undefined;
      if (!handler) {
        console.warn(`jobs: no handler for ${JSON.stringify(message?.type)}; dropped`);
        return;
      }
      const run = handler(message.payload);
      this.#inFlight.add(run);
      try {
        await run;
      } finally {
        this.#inFlight.delete(run);
      }
    }).catch((err) => {
      if (!this.#stopped) console.error("jobs: queue listener stopped:", err);
    });
  }

  /** Waits for running jobs; new deliveries are refused (KV redelivers them later). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.allSettled([...this.#inFlight]);
  }
}
