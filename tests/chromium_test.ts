/**
 * The test task's Chromium check, for real: a missing browser stops with one line and exit 1
 * (run as a subprocess with CHROMIUM_PATH pointing nowhere, so the installed Chromium stays),
 * and the lookup prefers CHROMIUM_PATH, then the usual paths, then PATH.
 */
import assert from "node:assert/strict";
import { findChromium, INSTALL_HINT } from "./chromium.ts";

const CHECK = new URL("./ensure_chromium.ts", import.meta.url).pathname;

async function runCheck(env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHECK],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

function envOf(vars: Record<string, string>) {
  return { get: (name: string) => vars[name] };
}

Deno.test("[chromium] a CHROMIUM_PATH pointing nowhere stops the test task with one line", async () => {
  const { code, stdout, stderr } = await runCheck({ CHROMIUM_PATH: "/nonexistent" });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], /^CHROMIUM_PATH=\/nonexistent is not an executable file/);
  assert.doesNotMatch(stderr, /\bat .*:\d+:\d+/); // no stack trace
});

Deno.test("[chromium] a CHROMIUM_PATH at a real browser passes the check silently", async () => {
  const found = findChromium();
  assert.ok(found.found, "this machine's Chromium (the browser tests need it)");
  const { code, stderr } = await runCheck({ CHROMIUM_PATH: found.path });
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "");
});

Deno.test("[chromium] the lookup honours CHROMIUM_PATH, then usual paths, then PATH", () => {
  const exists = (set: string[]) => (path: string) => set.includes(path);
  assert.deepEqual(
    findChromium(
      envOf({ CHROMIUM_PATH: "/opt/c/chrome" }),
      exists(["/opt/c/chrome", "/usr/bin/chromium"]),
    ),
    { found: true, path: "/opt/c/chrome" },
  );
  assert.deepEqual(
    findChromium(envOf({ PATH: "/a:/b" }), exists(["/usr/bin/chromium", "/b/chromium"])),
    { found: true, path: "/usr/bin/chromium" },
  );
  assert.deepEqual(
    findChromium(envOf({ PATH: "/a:/b" }), exists(["/b/google-chrome"])),
    { found: true, path: "/b/google-chrome" },
  );
  assert.deepEqual(findChromium(envOf({ PATH: "/a" }), exists([])), {
    found: false,
    fromEnv: false,
    message: INSTALL_HINT,
  });
  const wrong = findChromium(envOf({ CHROMIUM_PATH: "/nope" }), exists(["/usr/bin/chromium"]));
  assert.equal(wrong.found, false);
  assert.equal(!wrong.found && wrong.fromEnv, true);
});
