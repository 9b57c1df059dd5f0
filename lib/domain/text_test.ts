import assert from "node:assert/strict";
import { ellipsize, truncateText } from "./text.ts";

const hasLoneSurrogate = (s: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

Deno.test("[text] cutting never splits an emoji's surrogate pair", () => {
  const text = "ok 👍🏽 fine 🎉";
  for (let n = 0; n <= text.length + 1; n++) {
    const cut = truncateText(text, n);
    assert.ok(cut.length <= n, `length at most ${n}`);
    assert.ok(!hasLoneSurrogate(cut), `no lone half at ${n}: ${JSON.stringify(cut)}`);
    assert.ok(text.startsWith(cut));
    const short = ellipsize(text, Math.max(1, n));
    assert.ok(!hasLoneSurrogate(short));
  }
  assert.equal(truncateText("😀😀", 3), "😀");
  assert.equal(ellipsize("😀😀😀", 4), "😀…");
  assert.equal(ellipsize("short", 10), "short");
});
