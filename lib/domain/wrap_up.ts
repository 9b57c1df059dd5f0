/**
 * Wrap-up tags (issue 16, item 7): an admin keeps a list of predefined tags
 * (routing settings `wrapUpTags`), and `allowFreeTags` says whether agents may
 * also type their own. One rule, used by the engine's close (checked in the
 * commit against the settings it read) and by the workspace's close form.
 * Zod-free: the browser bundle uses it too.
 */

/** At most this many tags on one conversation, each at most this long. */
export const WRAP_UP_TAGS = { perChat: 20, chars: 50, predefined: 100 } as const;

export interface TagRules {
  wrapUpTags: string[];
  allowFreeTags: boolean;
}

export type TagCheck =
  | { ok: true; tags: string[] }
  | { ok: false; code: "invalid" | "tag_not_allowed"; message: string; rejected: string[] };

/**
 * Cleans the tags given at close: trimmed, blanks dropped, one of each (a tag
 * that matches a predefined one, whatever its case, takes the predefined
 * spelling, so reports count one tag). Without free tags, anything not on the
 * list is refused, naming the refused tags.
 */
export function checkWrapUpTags(given: string[], rules: TagRules): TagCheck {
  const byKey = new Map(rules.wrapUpTags.map((t) => [t.toLowerCase(), t]));
  const out: string[] = [];
  const seen = new Set<string>();
  const rejected: string[] = [];
  for (const raw of given) {
    const t = raw.trim();
    if (t === "") continue;
    const key = t.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const known = byKey.get(key);
    if (!known && !rules.allowFreeTags) rejected.push(t);
    out.push(known ?? t);
  }
  if (out.length > WRAP_UP_TAGS.perChat || out.some((t) => t.length > WRAP_UP_TAGS.chars)) {
    return {
      ok: false,
      code: "invalid",
      message:
        `tags: At most ${WRAP_UP_TAGS.perChat} tags of up to ${WRAP_UP_TAGS.chars} characters.`,
      rejected: [],
    };
  }
  if (rejected.length) {
    return {
      ok: false,
      code: "tag_not_allowed",
      message: `Only the predefined wrap-up tags may be used; not: ${rejected.join(", ")}.`,
      rejected,
    };
  }
  return { ok: true, tags: out };
}

/**
 * The admin's list as stored: trimmed, non-empty, one of each (case-blind),
 * in the order given. The bounds are checked by the settings schema.
 */
export function cleanTagList(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim();
    if (t === "" || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}
