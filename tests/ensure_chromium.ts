/**
 * First step of `deno task test`: make sure the browser tests have a Chromium before any test
 * starts, so a fresh machine gets one clear line instead of a stack trace per browser test.
 * Found → silent, exit 0. Missing and running as root with apt-get (a CI box, a container) →
 * installs Debian's `chromium`, as .ci/run does. Otherwise → one line saying what to do, exit 1.
 */
import { findChromium } from "./chromium.ts";

const APT_GET = "/usr/bin/apt-get";

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

async function aptGet(args: string[]): Promise<boolean> {
  const { success } = await new Deno.Command(APT_GET, {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "null",
  }).output();
  return success;
}

function canInstallWithApt(): boolean {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return false;
  try {
    return Deno.statSync(APT_GET).isFile;
  } catch {
    return false;
  }
}

const lookup = findChromium();
if (!lookup.found) {
  // An explicit CHROMIUM_PATH is the user's choice: report it rather than install another browser.
  if (lookup.fromEnv || !canInstallWithApt()) fail(lookup.message);
  console.error(
    "Chromium not found: installing Debian's chromium with apt-get for the browser tests…",
  );
  if (!await aptGet(["update", "-qq"]) || !await aptGet(["install", "-y", "-qq", "chromium"])) {
    fail(`apt-get could not install chromium. ${lookup.message}`);
  }
  const after = findChromium();
  if (!after.found) fail(after.message);
}
