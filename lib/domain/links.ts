/**
 * Links in what people write: the parts of a message's text, each plain text
 * or a link, for the workspace and the widget to render as text nodes and
 * anchors (never as markup). Only `http:`, `https:` and `mailto:` become
 * links: `javascript:`, `data:` and every other scheme stay plain text.
 * Punctuation that ends a sentence is left out of the link. Pure.
 *
 * @example
 * linkParts("See https://example.com/a.") // [{text:"See "}, {text:"https://example.com/a", href:"https://example.com/a"}, {text:"."}]
 */

export interface TextPart {
  text: string;
  /** Set for a link: the URL to open (http, https or mailto only). */
  href?: string;
}

const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;
const TRAILING = new Set([...".,;:!?)]}'\"»”’"]);

/** A link's target when `raw` is a well-formed http(s) or mailto URL, else null. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === "mailto:") return /^[^@\s]+@[^@\s]+$/.test(url.pathname) ? url.href : null;
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.hostname ? url.href : null;
}

/** Sentence punctuation off a link's end; a closing bracket the link itself opened stays. */
function trimEnd(raw: string): string {
  let end = raw.length;
  while (end > 0 && TRAILING.has(raw[end - 1])) {
    const kept = raw.slice(0, end);
    if (raw[end - 1] === ")" && count(kept, "(") >= count(kept, ")")) break;
    end--;
  }
  return raw.slice(0, end);
}

const count = (s: string, ch: string) => s.split(ch).length - 1;

/** `text` split into plain parts and links, in order; joined, the parts give `text` back. */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = trimEnd(match[0]);
    const href = safeHref(raw);
    if (!href) continue;
    const start = match.index!;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
