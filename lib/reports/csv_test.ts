/** CSV cells: quoting and formula defusing, as a spreadsheet would read them. */
import assert from "node:assert/strict";
import { attachment, csvCell, csvLine } from "./csv.ts";

Deno.test("[csv] formulas are defused, quotes and line breaks quoted", () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell("+1 555"), "'+1 555");
  assert.equal(csvCell("-2+3"), "'-2+3");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("\tcmd"), "'\tcmd");
  assert.equal(csvCell("a, b"), `"a, b"`);
  assert.equal(csvCell("two\nlines"), `"two\nlines"`);
  assert.equal(csvCell("plain"), "plain");
  assert.equal(csvCell(42), "42");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(Infinity), "");
  assert.equal(csvLine(["a", 1, null, 'x"y']), `a,1,,"x""y"\r\n`);
  assert.equal(attachment("report 2026/11.csv"), `attachment; filename="report_2026_11.csv"`);
});
