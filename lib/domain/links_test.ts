import assert from "node:assert/strict";
import { linkParts, safeHref } from "./links.ts";

Deno.test("[links] http, https and mailto become links; nothing else does", () => {
  assert.deepEqual(linkParts("See https://example.com/a?b=1. Thanks"), [
    { text: "See " },
    { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
    { text: ". Thanks" },
  ]);
  assert.deepEqual(linkParts("mail mailto:ana@example.com!"), [
    { text: "mail " },
    { text: "mailto:ana@example.com", href: "mailto:ana@example.com" },
    { text: "!" },
  ]);
  for (
    const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
    ]
  ) {
    assert.deepEqual(linkParts(bad), [{ text: bad }], bad);
    assert.equal(safeHref(bad), null);
  }
  // Text around a link survives exactly, emoji included.
  const text = "👋 (see http://x.test/Foo_(bar)) and 🎉";
  assert.equal(linkParts(text).map((p) => p.text).join(""), text);
  assert.equal(linkParts(text).find((p) => p.href)?.href, "http://x.test/Foo_(bar)");
  assert.deepEqual(linkParts("no links here"), [{ text: "no links here" }]);
  assert.deepEqual(linkParts(""), []);
});
