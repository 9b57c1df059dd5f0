/**
 * The workspace's sound switch: whether a new chat or message chimes. Kept
 * per browser in localStorage (on unless the agent turned it off), read by
 * lib/ui/live.ts before it plays, set by the header's "Sound" button.
 */
const KEY = "parley:sound";

/** Is the chime on in this browser? */
export function soundOn(): boolean {
  try {
    return localStorage.getItem(KEY) !== "off";
  } catch {
    return true;
  }
}

/** Turns the chime on or off for this browser. */
export function setSoundOn(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? "on" : "off");
  } catch { /* storage disabled: the choice lasts for this page only */ }
}
