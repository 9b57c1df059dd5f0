import assert from "node:assert/strict";
import { checkFreeFormReply, isWindowOpen, WINDOW_MS, windowAt } from "./whatsapp_window.ts";

Deno.test("[whatsapp] window rule: open for 24 hours after the customer's last message, closed before any", () => {
  const last = "2026-03-01T10:00:00.000Z";
  const t = Date.parse(last);
  assert.deepEqual(windowAt(last, t + WINDOW_MS - 1), {
    open: true,
    lastCustomerMessageAt: last,
    expiresAt: "2026-03-02T10:00:00.000Z",
  });
  assert.equal(windowAt(last, t + WINDOW_MS).open, false, "closed at the 24-hour mark");
  assert.equal(isWindowOpen("2026-03-02T10:00:00.000Z", t + WINDOW_MS - 1), true);
  assert.equal(isWindowOpen("2026-03-02T10:00:00.000Z", t + WINDOW_MS), false);
  assert.equal(isWindowOpen(null, t), false);
  assert.deepEqual(windowAt(null, t), {
    open: false,
    lastCustomerMessageAt: null,
    expiresAt: null,
  });
  assert.equal(windowAt("not a time", t).open, false);

  assert.equal(checkFreeFormReply(windowAt(last, t)), null);
  const closed = checkFreeFormReply(windowAt(last, t + WINDOW_MS + 5));
  assert.equal(closed?.code, "window_closed");
  assert.equal(closed?.status, 409);
  assert.deepEqual(closed?.details, {
    closedAt: "2026-03-02T10:00:00.000Z",
    lastCustomerMessageAt: last,
  });
  assert.equal(checkFreeFormReply(windowAt(null, t))?.details.closedAt, null);
});
