/**
 * How search sees text (issue 18, gap 2), without I/O: the one normaliser
 * shared by the index writer (lib/store/engine/search_index.ts), the query
 * parser and the highlighter, so what is stored and what is asked for always
 * fold the same way.
 *
 * A term is a run of letters or digits, lowercased, accent-folded (NFKD with
 * the combining marks dropped: "Ñandú" → "nandu"), at least 2 characters,
 * cut at 32. One text gives at most {@link MAX_TERMS_PER_TEXT} distinct terms
 * (the first ones): a 4,096-character message indexes like a long paragraph,
 * not like a dictionary.
 */

/** Terms shorter than this are not indexed ("a", "I", "y"). */
export const MIN_TERM = 2;
/** Longer words are indexed by their first 32 characters (a query folds the same way). */
export const MAX_TERM = 32;
/** Distinct terms indexed per message (or contact, or wrap-up). */
export const MAX_TERMS_PER_TEXT = 50;
/** Query limits (400 beyond). */
export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 8;

/** Lowercase, then decompose and drop combining marks ("İ" and "É" fold to "i" and "e"). */
export function fold(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}+/gu, "");
}

/** A folded word as a term: cut at MAX_TERM characters (code points), or null when too short. */
function asTerm(word: string): string | null {
  const chars = Array.from(word);
  if (chars.length < MIN_TERM) return null;
  return chars.length > MAX_TERM ? chars.slice(0, MAX_TERM).join("") : word;
}

/** The folded words of `text`, in order, repeats included. */
export function foldedWords(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The distinct terms of `text`, first come first, at most `max`. */
export function termsOf(text: string, max = MAX_TERMS_PER_TEXT): string[] {
  const out = new Set<string>();
  for (const word of foldedWords(text)) {
    if (out.size >= max) break;
    const term = asTerm(word);
    if (term) out.add(term);
  }
  return [...out];
}

/** A phone number's terms: its digit groups, and all its digits as one term ("34600123456"). */
export function phoneTermsOf(phone: string): string[] {
  const digits = phone.replace(/\D+/g, "");
  const terms = termsOf(phone);
  return digits.length >= MIN_TERM && !terms.includes(digits) ? [...terms, digits] : terms;
}

export interface ParsedQuery {
  /** Words that must match whole. */
  exact: string[];
  /** The last word while it is being typed: matches any term starting with it; null after a space. */
  prefix: string | null;
}

export type QueryProblem = { code: "query_empty" | "query_too_long"; message: string };

/**
 * Reads a search box's text. Every word must match (AND); the last word, when
 * the text does not end with a space or punctuation, matches as a prefix
 * ("refu" finds "refund"). Returns a problem for a query with no word of 2+
 * letters or digits, or over 200 characters or 8 words.
 */
export function parseSearchQuery(q: string): ParsedQuery | QueryProblem {
  if (q.length > MAX_QUERY_CHARS) {
    return {
      code: "query_too_long",
      message: `Search for at most ${MAX_QUERY_CHARS} characters.`,
    };
  }
  const words = foldedWords(q);
  const typing = /[\p{L}\p{N}\p{M}]$/u.test(q);
  const last = typing ? words.pop() ?? null : null;
  const exact = [...new Set(words.map(asTerm).filter((t): t is string => t !== null))];
  let prefix = last !== null ? asTerm(last) : null;
  if (prefix !== null && exact.includes(prefix)) prefix = null; // "refund refund"
  if (exact.length === 0 && prefix === null) {
    return {
      code: "query_empty",
      message: "Type at least one word of 2 or more letters or digits to search.",
    };
  }
  if (exact.length + (prefix ? 1 : 0) > MAX_QUERY_TERMS) {
    return {
      code: "query_too_long",
      message: `Search for at most ${MAX_QUERY_TERMS} words at a time.`,
    };
  }
  return { exact, prefix };
}

/** Where a query matches in a text: [start, end) pairs of UTF-16 offsets, in order. */
export function highlightRanges(text: string, query: ParsedQuery): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    // A run of the original text may fold into more than one word (rare); match any of them.
    const hit = foldedWords(m[0]).some((word) => {
      const term = asTerm(word);
      if (term === null) return false;
      return query.exact.includes(term) ||
        (query.prefix !== null && term.startsWith(query.prefix));
    });
    if (hit) out.push([m.index!, m.index! + m[0].length]);
  }
  return out;
}

/** A snippet of `text` around its first match, at most `width` characters, with its highlights. */
export function snippetOf(
  text: string,
  query: ParsedQuery,
  width = 160,
): { text: string; highlights: [number, number][] } {
  const flat = text.replace(/\s+/g, " ").trim();
  const all = highlightRanges(flat, query);
  if (flat.length <= width) return { text: flat, highlights: all };
  // Start a little before the first match (at a word boundary), so it shows with some context.
  let start = all.length > 0 ? Math.max(0, all[0][0] - 40) : 0;
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    start = space >= 0 && space < all[0][0] ? space + 1 : start;
  }
  const end = Math.min(flat.length, start + width);
  const lead = start > 0 ? "…" : "";
  const tail = end < flat.length ? "…" : "";
  const shift = lead.length - start;
  return {
    text: lead + flat.slice(start, end) + tail,
    highlights: all.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [
      s + shift,
      e + shift,
    ]),
  };
}
