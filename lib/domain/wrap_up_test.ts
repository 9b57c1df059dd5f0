import assert from "node:assert/strict";
import { checkWrapUpTags, cleanTagList } from "./wrap_up.ts";

Deno.test("[engine] wrap-up tags: predefined spelling, one of each, free tags only when allowed", () => {
  const list = ["Billing", "Refund", "Bug"];
  assert.deepEqual(
    checkWrapUpTags([" refund ", "REFUND", "", "vip"], { wrapUpTags: list, allowFreeTags: true }),
    {
      ok: true,
      tags: ["Refund", "vip"],
    },
  );
  const strict = checkWrapUpTags(["bug", "vip", "Later"], {
    wrapUpTags: list,
    allowFreeTags: false,
  });
  assert.equal(strict.ok, false);
  if (!strict.ok) {
    assert.equal(strict.code, "tag_not_allowed");
    assert.deepEqual(strict.rejected, ["vip", "Later"]);
  }
  assert.deepEqual(checkWrapUpTags(["BUG"], { wrapUpTags: list, allowFreeTags: false }), {
    ok: true,
    tags: ["Bug"],
  });
  const many = checkWrapUpTags(Array.from({ length: 21 }, (_, i) => `t${i}`), {
    wrapUpTags: [],
    allowFreeTags: true,
  });
  assert.equal(many.ok, false);
  assert.deepEqual(cleanTagList([" A ", "a", "", "B"]), ["A", "B"]);
});
