/**
 * The workspace's search box (islands/WorkspaceSearch.tsx): its view shape,
 * the call behind it (`GET /api/v1/search`, docs/api.md "Search") and how a
 * snippet splits into plain and highlighted parts. Browser side; pure except
 * {@link searchPage}.
 */
import { api } from "./api_client.ts";
import { type MessageKey, t } from "../i18n/mod.ts";
import type { SearchPage, SearchResult } from "../store/engine/search_query.ts";

export interface UiSearchResult {
  id: string;
  /** Who: the contact's name, else email, else phone, else "Visitor" and the id's end. */
  who: string;
  status: string;
  /** The status in the page's language. */
  statusLabel: string;
  /** Where the words matched, in the product's words. */
  where: string;
  /** When (the matched message's time, else the conversation's last activity). */
  at: string;
  parts: { text: string; mark: boolean }[];
}

/** Splits `text` at the highlight ranges (sorted, not overlapping) into parts to render. */
export function markedParts(
  text: string,
  highlights: [number, number][],
): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > text.length || start >= end) continue;
    if (start > at) parts.push({ text: text.slice(at, start), mark: false });
    parts.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts;
}

export function toUiSearchResult(r: SearchResult): UiSearchResult {
  const c = r.contact;
  return {
    id: r.conversation.id,
    who: c.name || c.email || c.phone || "Visitor " + c.id.slice(-4),
    status: r.conversation.status,
    statusLabel: t(`search.status.${r.conversation.status}` as MessageKey),
    where: t(`search.where.${r.match.field}` as MessageKey),
    at: r.match.at ?? r.conversation.lastActivityAt,
    parts: markedParts(r.match.text, r.match.highlights),
  };
}

/** One page of results for `q` (after `cursor`). */
export async function searchPage(
  q: string,
  cursor: string | null,
): Promise<{ items: UiSearchResult[]; nextCursor: string | null }> {
  const params = new URLSearchParams({ q });
  if (cursor) params.set("cursor", cursor);
  const page = await api<SearchPage>("GET", `/api/v1/search?${params}`);
  return { items: page.items.map(toUiSearchResult), nextCursor: page.nextCursor };
}

/** What the live region says of a page of results. */
export function resultsSummary(count: number, more: boolean): string {
  if (count === 0) return t("search.none");
  return more ? t("search.foundMore", { count }) : t("search.found", { count });
}

/** Whether `/` typed now should go to the search box (not while writing somewhere else). */
export function slashFocusesSearch(e: KeyboardEvent): boolean {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return false;
  const el = e.target as HTMLElement | null;
  if (!el) return true;
  const tag = el.tagName;
  return !(tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable);
}
