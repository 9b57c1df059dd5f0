/**
 * Where the browser tests find Chromium, in one place: `CHROMIUM_PATH` when set, else the usual
 * install locations and `PATH`. Used by `launchBrowser` (tests/helpers.ts) and by the check the
 * test task runs first (tests/ensure_chromium.ts), so both always agree on the same binary.
 */

/** The one line a newcomer sees when no Chromium can be found or installed. */
export const INSTALL_HINT = "Browser tests need Chromium: install it (Debian/Ubuntu: " +
  "`apt-get install chromium`; macOS: `brew install --cask chromium`) " +
  "or set CHROMIUM_PATH to a Chromium or Chrome executable.";

/** Where a Chromium usually is when `CHROMIUM_PATH` is not set, before searching `PATH`. */
const USUAL_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];
const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

export type ChromiumLookup =
  | { found: true; path: string }
  | { found: false; fromEnv: boolean; message: string };

function isExecutableFile(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    // mode is null on Windows; a file is the best we can tell there.
    return info.isFile && (info.mode === null || (info.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/**
 * Finds the Chromium the browser tests will drive. An explicit `CHROMIUM_PATH` that does not
 * point at an executable is an error of its own (never silently replaced by another browser).
 */
export function findChromium(
  env: { get(name: string): string | undefined } = Deno.env,
  isExecutable: (path: string) => boolean = isExecutableFile,
): ChromiumLookup {
  const explicit = env.get("CHROMIUM_PATH");
  if (explicit) {
    return isExecutable(explicit) ? { found: true, path: explicit } : {
      found: false,
      fromEnv: true,
      message: `CHROMIUM_PATH=${explicit} is not an executable file: ` +
        "point it at a Chromium or Chrome executable, or unset it to use the one installed.",
    };
  }
  for (const path of USUAL_PATHS) if (isExecutable(path)) return { found: true, path };
  const sep = Deno.build.os === "windows" ? ";" : ":";
  for (const dir of (env.get("PATH") ?? "").split(sep).filter(Boolean)) {
    for (const name of PATH_NAMES) {
      const path = `${dir}/${name}`;
      if (isExecutable(path)) return { found: true, path };
    }
  }
  return { found: false, fromEnv: false, message: INSTALL_HINT };
}

/** The Chromium to launch, or an error whose message is the one line above. */
export function chromiumPath(): string {
  const lookup = findChromium();
  if (!lookup.found) throw new Error(lookup.message);
  return lookup.path;
}
