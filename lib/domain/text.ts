/**
 * Cutting text without cutting a character in half. JavaScript strings count
 * UTF-16 units, so `s.slice(0, n)` can split an emoji's surrogate pair and
 * leave a lone half that renders as "�" (and that some JSON consumers
 * refuse). Every place that shortens what a person wrote uses these. Pure.
 */

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end--; // a high half whose low half is cut off
  return text.slice(0, end);
}

/** `text` cut to at most `max` units with "…" at the end when it was cut. */
export function ellipsize(text: string, max: number): string {
  return text.length <= max ? text : truncateText(text, max - 1) + "…";
}
