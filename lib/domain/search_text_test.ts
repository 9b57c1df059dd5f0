/** The one normaliser of search: folding, terms, query parsing and highlights. */
import assert from "node:assert/strict";
import {
  fold,
  highlightRanges,
  MAX_TERMS_PER_TEXT,
  parseSearchQuery,
  phoneTermsOf,
  snippetOf,
  termsOf,
} from "./search_text.ts";

Deno.test("[search] text folds case and accents and splits on everything but letters/digits", () => {
  assert.equal(fold("Ñandú ÉCOLE İstanbul"), "nandu ecole istanbul");
  assert.deepEqual(termsOf("¿Dónde está mi pedido #4711? a I"), [
    "donde",
    "esta",
    "mi",
    "pedido",
    "4711",
  ]);
  assert.deepEqual(termsOf("ana.gomez@example.com"), ["ana", "gomez", "example", "com"]);
  assert.deepEqual(termsOf("x".repeat(40)), ["x".repeat(32)], "long words are cut at 32");
  assert.deepEqual(termsOf("same Same SAME"), ["same"]);
  const many = Array.from({ length: 80 }, (_, i) => `w${i}`).join(" ");
  assert.equal(termsOf(many).length, MAX_TERMS_PER_TEXT);
  assert.deepEqual(phoneTermsOf("+34 600-123 456"), ["34", "600", "123", "456", "34600123456"]);
});

Deno.test("[search] queries: all words, the last one a prefix while typed; clear problems", () => {
  assert.deepEqual(parseSearchQuery("Refund  PARC"), { exact: ["refund"], prefix: "parc" });
  assert.deepEqual(parseSearchQuery("refund parcel "), {
    exact: ["refund", "parcel"],
    prefix: null,
  });
  assert.deepEqual(parseSearchQuery("refund a"), { exact: ["refund"], prefix: null });
  assert.equal((parseSearchQuery("") as { code: string }).code, "query_empty");
  assert.equal((parseSearchQuery("  ?! ") as { code: string }).code, "query_empty");
  assert.equal((parseSearchQuery("a".repeat(201)) as { code: string }).code, "query_too_long");
  assert.equal(
    (parseSearchQuery("one two three four five six seven eight nine") as { code: string }).code,
    "query_too_long",
  );
});

Deno.test("[search] highlights mark the original words, accents and all", () => {
  const query = { exact: ["donde"], prefix: "ped" };
  const text = "¿Dónde está mi pedido?";
  assert.deepEqual(
    highlightRanges(text, query).map(([s, e]) => text.slice(s, e)),
    ["Dónde", "pedido"],
  );
  const long = "x ".repeat(200) + "the refund arrived " + "y ".repeat(200);
  const snip = snippetOf(long, { exact: ["refund"], prefix: null });
  assert.ok(snip.text.length <= 162);
  assert.ok(snip.text.startsWith("…") && snip.text.endsWith("…"));
  const [s, e] = snip.highlights[0];
  assert.equal(snip.text.slice(s, e), "refund");
});
