/** Shared pieces of the real-time benchmarks: spawning servers, RSS, percentiles. */

export interface Spawned {
  url: string;
  pid: number;
  /** Resolves with the next output line starting with `prefix`. */
  nextLine(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Runs `script` with Deno in its own process and waits for its `READY <url>`
 * line. `v8Flags` (e.g. "--max-semi-space-size=1") go to its V8.
 */
export async function spawnServer(
  script: string,
  env: Record<string, string>,
  v8Flags = "",
): Promise<Spawned> {
  const flags = v8Flags ? [`--v8-flags=${v8Flags}`] : [];
  // PARLEY_DENO_ARGS (e.g. "--inspect=127.0.0.1:9229") lets a profiler attach to Parley's server.
  if (script === "./server.ts") {
    flags.push(...(Deno.env.get("PARLEY_DENO_ARGS")?.split(" ").filter(Boolean) ?? []));
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-kv", ...flags, new URL(script, import.meta.url).pathname],
    cwd: new URL("../../", import.meta.url).pathname,
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${script} ended before it was ready:\n${out}`);
    out += value;
    const url = /READY (\S+)/.exec(out)?.[1];
    if (url) {
      // Keep draining its output (so it never blocks on a full pipe), handing lines to waiters.
      let rest = out.slice(out.indexOf(url) + url.length);
      // SERVER_LOG=FILE keeps the server's output (e.g. SERVER_V8_FLAGS=--trace-gc lines) there.
      const logPath = Deno.env.get("SERVER_LOG");
      const log = logPath ? await Deno.open(logPath, { append: true, create: true }) : null;
      const encoder = new TextEncoder();
      const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
      (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            rest += value;
            let nl;
            while ((nl = rest.indexOf("\n")) >= 0) {
              const line = rest.slice(0, nl).trim();
              rest = rest.slice(nl + 1);
              if (log) await log.write(encoder.encode(`${child.pid} ${line}\n`));
              // Anywhere in the line: V8's own output (--trace-gc) is buffered apart and may
              // land in front of a line of ours.
              const i = waiters.findIndex((w) => line.includes(w.prefix));
              if (i >= 0) {
                const waiter = waiters.splice(i, 1)[0];
                waiter.resolve(line.slice(line.indexOf(waiter.prefix)));
              }
            }
          }
        } catch { /* gone */ }
      })();
      return {
        url,
        pid: child.pid,
        nextLine(prefix: string) {
          return new Promise((resolve) => waiters.push({ prefix, resolve }));
        },
        /** SIGTERM (graceful shutdown); SIGKILL if it is still busy after 5 s. */
        async stop() {
          try {
            child.kill("SIGTERM");
          } catch { /* already gone */ }
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            child.status,
            new Promise((r) => timer = setTimeout(r, 5000)),
          ]);
          clearTimeout(timer);
          try {
            child.kill("SIGKILL");
          } catch { /* exited */ }
          await child.status;
        },
      };
    }
  }
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/**
 * A process's RSS split (bytes, Linux /proc): anonymous memory (V8's heap,
 * malloc, buffers) and file-backed pages (mostly the deno binary's code).
 */
export function rssPartsOf(pid: number): { anon: number; file: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { anon: kb("RssAnon") * 1024, file: (kb("RssFile") + kb("RssShmem")) * 1024 };
}

/** CPU time a process has used so far (user + system), in seconds (Linux /proc, 100 ticks/s). */
export function cpuSecondsOf(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function percentiles(
  samples: number[],
): { p50: number; p95: number; p99: number; n: number } {
  const sorted = samples.toSorted((a, b) => a - b);
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;
export const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** A number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  return raw === undefined || raw === "" ? fallback : Number(raw);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a WebSocket and resolves once it is open. */
export function openSocket(url: string, headers?: Record<string, string>): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers } as unknown as string[]);
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = (e) => reject(new Error(`WebSocket ${url}: ${(e as ErrorEvent).message}`));
  });
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}
