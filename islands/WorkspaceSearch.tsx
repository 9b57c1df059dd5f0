/**
 * The workspace's search box (issue 18, gap 2), in the header: `/` focuses
 * it from anywhere but a text field; typing searches messages, internal
 * notes, contacts, tags and wrap-up notes (`GET /api/v1/search`, debounced);
 * the results are a listbox under a combobox (arrows move, Enter opens the
 * conversation, Escape closes), matches marked, the count announced politely.
 * Before scripts run it is a plain form to the same search (routes/search_page.tsx).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { openConversation } from "../lib/ui/actions.ts";
import {
  resultsSummary,
  searchPage,
  slashFocusesSearch,
  type UiSearchResult,
} from "../lib/ui/search.ts";
import { t } from "../lib/i18n/mod.ts";
import { useWorkspace, type WorkspaceSeed } from "../lib/ui/state.ts";
import { clockLabel } from "../lib/ui/format.ts";

const DEBOUNCE_MS = 200;

interface Results {
  q: string;
  items: UiSearchResult[];
  nextCursor: string | null;
}

export default function WorkspaceSearch({ seed }: { seed?: WorkspaceSeed }) {
  const ws = useWorkspace(seed);
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState("");
  const [results, setResults] = useState<Results | null>(null);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState("");
  const asked = useRef(0); // answers to older requests are dropped
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!slashFocusesSearch(e)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const run = async (text: string, cursor: string | null = null) => {
    clearTimeout(timer.current);
    const n = ++asked.current;
    if (!cursor) setStatus(t("search.searching"));
    try {
      const page = await searchPage(text, cursor);
      if (n !== asked.current) return;
      const items = cursor && results ? [...results.items, ...page.items] : page.items;
      setResults({ q: text, items, nextCursor: page.nextCursor });
      setOpen(true);
      if (!cursor) setActive(-1);
      setStatus(resultsSummary(items.length, page.nextCursor !== null));
    } catch (err) {
      if (n !== asked.current) return;
      setResults(null);
      setStatus((err as Error).message);
    }
  };

  const onInput = (text: string) => {
    setQ(text);
    clearTimeout(timer.current);
    asked.current++;
    if (text.trim().length < 2) {
      setResults(null);
      setOpen(false);
      setStatus("");
      return;
    }
    timer.current = setTimeout(() => run(text), DEBOUNCE_MS);
  };

  const choose = async (item: UiSearchResult) => {
    setOpen(false);
    setActive(-1);
    try {
      await openConversation(ws, item.id);
      // The conversation is where the keyboard goes next.
      requestAnimationFrame(() => {
        const heading = document.querySelector<HTMLElement>("#conversation-window h1");
        if (heading) {
          heading.tabIndex = -1;
          heading.focus();
        }
      });
    } catch (err) {
      ws.notice.value = (err as Error).message;
    }
  };

  const items = results?.items ?? [];
  const showing = open && results !== null;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      if (showing) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      }
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (items.length === 0) return;
      e.preventDefault();
      setOpen(true);
      setActive((i) =>
        e.key === "ArrowDown" ? Math.min(items.length - 1, i + 1) : Math.max(0, i - 1)
      );
      return;
    }
    if (e.key === "Enter") {
      e.preventDefault();
      if (results && results.q === q && items.length > 0) {
        choose(items[Math.max(0, active)]);
      } else if (q.trim().length > 0) run(q);
    }
  };

  return (
    <form
      role="search"
      method="get"
      action="/search"
      class="relative w-full sm:w-80"
      onSubmit={(e) => e.preventDefault()}
    >
      <label for="workspace-search" class="sr-only">{t("search.label")}</label>
      <input
        ref={input}
        id="workspace-search"
        name="q"
        type="search"
        autocomplete="off"
        maxLength={200}
        placeholder={t("search.placeholder")}
        role="combobox"
        aria-expanded={showing ? "true" : "false"}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={showing && active >= 0 ? `search-result-${active}` : undefined}
        aria-describedby="search-status"
        value={q}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onFocus={() => results && setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        class="w-full text-sm border border-gray-400 rounded px-2 py-1 focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      <p id="search-status" role="status" aria-live="polite" class="sr-only">{status}</p>
      <div
        class={showing
          ? "absolute left-0 right-0 z-30 mt-1 max-h-[70vh] overflow-y-auto bg-white border border-gray-300 rounded shadow-lg"
          : "hidden"}
      >
        <ul id="search-results" role="listbox" aria-label={t("search.results")}>
          {items.map((item, i) => (
            <li
              key={item.id}
              id={`search-result-${i}`}
              role="option"
              aria-selected={i === active ? "true" : "false"}
              data-conversation={item.id}
              onMouseDown={(e) => e.preventDefault()} // keep focus in the box
              onClick={() => choose(item)}
              class={i === active
                ? "px-3 py-2 cursor-pointer bg-brand-50 border-l-4 border-brand-600"
                : "px-3 py-2 cursor-pointer hover:bg-gray-50 border-l-4 border-transparent"}
            >
              <span class="flex justify-between gap-2 text-sm">
                <span class="font-medium truncate">{item.who}</span>
                <span class="text-xs text-gray-700 whitespace-nowrap">
                  {item.where} · {item.statusLabel} · {clockLabel(item.at, Date.now(), true)}
                </span>
              </span>
              <span class="block text-sm text-gray-800 break-words">
                {item.parts.map((p, j) =>
                  p.mark
                    ? <mark key={j} class="bg-yellow-200 text-gray-900 rounded-sm">{p.text}</mark>
                    : <span key={j}>{p.text}</span>
                )}
              </span>
            </li>
          ))}
        </ul>
        {items.length === 0 && <p class="px-3 py-2 text-sm text-gray-700">{t("search.none")}</p>}
        {results?.nextCursor && (
          <button
            type="button"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(results.q, results.nextCursor)}
            class="w-full text-sm text-brand-700 underline px-3 py-2 text-left hover:bg-gray-50"
          >
            {t("search.more")}
          </button>
        )}
      </div>
    </form>
  );
}
