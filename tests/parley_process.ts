/**
 * Runs Parley's real entry point (main.ts, `deno task start`) in its own OS
 * process, for tests about several instances: two processes on one KV file do
 * not share memory, a KV handle or watch notifications, which two servers in
 * one test process would (and so could not catch what breaks between
 * processes). The URL comes from the server's own log line.
 */

/** How long a process may take to start or stop before the test gives up. */
const GUARD_MS = 30_000;

export interface ParleyProcess {
  url: string;
  pid: number;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited within the guard. */
  stop(): Promise<Deno.CommandStatus>;
}

/** The folder Parley runs in (the repository): relative paths such as `./data/` start here. */
export const PARLEY_DIR = new URL("../", import.meta.url).pathname;

/** `deno run -A main.ts` with `env` (on 127.0.0.1, port 0 unless given), output piped. */
export function parleyCommand(env: Record<string, string>): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: PARLEY_DIR,
    env: { HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

/** Starts Parley (see {@link parleyCommand}) and waits until it listens. */
export async function spawnParley(env: Record<string, string>): Promise<ParleyProcess> {
  const child = parleyCommand(env).spawn();
  let out = "";
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => listening = resolve);
  const drain = async (stream: typeof child.stdout) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      out += text;
      const found = /Parley is listening on (\S+)/.exec(out)?.[1];
      if (found) listening(found);
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = await Promise.race([
    url,
    child.status.then((s) => new Error(`Parley exited with ${s.code} before listening:\n${out}`)),
    new Promise<Error>((r) =>
      timer = setTimeout(() => r(new Error(`Parley did not start:\n${out}`)), GUARD_MS)
    ),
  ]);
  clearTimeout(timer);
  if (started instanceof Error) {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
    await drained;
    throw started;
  }
  return {
    url: started,
    pid: child.pid,
    output: () => out,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      let killTimer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([child.status, new Promise((r) => killTimer = setTimeout(r, GUARD_MS))]);
      clearTimeout(killTimer);
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      const status = await child.status;
      await drained;
      return status;
    },
  };
}
