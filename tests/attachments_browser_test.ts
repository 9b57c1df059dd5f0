/**
 * Attachments and links in the workspace, in real Chromium against a real
 * server and KV: the agent attaches an image with the keyboard only and sends
 * it (a thumbnail with the file name as its alt text, and the visitor can
 * fetch it); a customer's PDF is a chip with its size that downloads; links
 * in messages are clickable and safe, `javascript:` is not a link; emoji
 * survive whole in the log and the list preview; axe finds nothing serious.
 */
import assert from "node:assert/strict";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { log, openAs, rows, seriousViolations, setStatus, Visitor } from "./workspace_helpers.ts";
import { PDF, PNG, upload } from "./attachment_fixtures.ts";
import { until } from "./widget_host.ts";

Deno.test("[attachments] browser: an agent attaches an image by keyboard; files, links and emoji in the log", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  const dir = await Deno.makeTempDir();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const a = await openAs(browser, app.url, ana);
    // Every file chooser goes to the test from now on (a listener added only with a press may
    // reach the browser after it, and that chooser is then never seen).
    a.page.on("filechooser", () => {});
    await setStatus(a.page, "online");
    const carla = await new Visitor(app).start("Carla Customer");
    await carla.say("Hi 👋🏽 see https://example.com/order?id=7. Not javascript:alert(1) 🎉");
    await rows(a.page).filter({ hasText: "Carla Customer" }).getByRole("link").click();
    const messages = log(a.page);
    await messages.getByText(/Hi 👋🏽 see/).waitFor();

    await t.step("links are clickable and safe; javascript: is text", async () => {
      const link = messages.getByRole("link", { name: "https://example.com/order?id=7" });
      assert.equal(await link.getAttribute("href"), "https://example.com/order?id=7");
      assert.equal(await link.getAttribute("target"), "_blank");
      assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow");
      assert.equal(await messages.locator('a[href^="javascript:"]').count(), 0);
      const text = await messages.locator("li", { hasText: "Hi 👋🏽" }).innerText();
      assert.match(
        text,
        /Hi 👋🏽 see https:\/\/example\.com\/order\?id=7\. Not javascript:alert\(1\) 🎉/,
      );
    });

    await t.step("the agent attaches an image with the keyboard and sends it", async () => {
      const png = `${dir}/red square.png`;
      await Deno.writeFile(png, PNG);
      // The button works once the pane's island has hydrated: until then it is aria-disabled
      // and says why (attach_hydration_browser_test.ts), so the test waits for it to be live.
      const attach = a.page.locator("button:not([aria-disabled])", { hasText: "Attach file" });
      await attach.focus();
      const [chooser] = await Promise.all([
        a.page.waitForEvent("filechooser"),
        a.page.keyboard.press("Enter"),
      ]);
      await chooser.setFiles(png);
      const pending = a.page.getByRole("list", { name: "Files to send" });
      await pending.getByText("red square.png").waitFor();
      await pending.getByText(/\d+ B$/).waitFor(); // uploaded: its size shows instead of "uploading…"
      const box = a.page.getByRole("textbox", { name: "Message" });
      await box.focus();
      await box.pressSequentially("Here it is");
      await box.press("Enter");
      const img = messages.getByRole("img", { name: "red square.png" });
      await img.waitFor();
      await messages.locator("li", { hasText: "Here it is" })
        .filter({ hasNot: a.page.locator('[data-delivery="sending"]') }).waitFor();
      // The thumbnail is drawn from the served file (it loads after the element shows).
      await until(
        "the thumbnail loaded, 4 px wide",
        () => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 4),
      );
      assert.equal(await pending.count(), 0, "the pending files are cleared");
      // The visitor sees the file in their own conversation, and may fetch it.
      const mine = await app.api("GET", "/api/v1/widget/messages", {
        headers: { authorization: `Bearer ${carla.token}` },
      });
      const sent = mine.body.messages.at(-1);
      assert.equal(sent.attachments[0].filename, "red square.png");
      const file = await fetch(`${app.url}/api/v1/widget/attachments/${sent.attachments[0].id}`, {
        headers: { authorization: `Bearer ${carla.token}` },
      });
      assert.deepEqual(new Uint8Array(await file.arrayBuffer()), PNG);
    });

    await t.step("a file of a type not allowed is refused with the reason", async () => {
      const svg = `${dir}/logo.svg`;
      await Deno.writeTextFile(svg, "<svg xmlns='http://www.w3.org/2000/svg'></svg>");
      const [chooser] = await Promise.all([
        a.page.waitForEvent("filechooser"),
        a.page.getByRole("button", { name: "Attach file" }).click(),
      ]);
      await chooser.setFiles(svg);
      await a.page.getByRole("alert").filter({ hasText: "cannot be sent" }).waitFor();
    });

    await t.step("the customer's PDF is a chip with its size that downloads", async () => {
      const up = await upload(app, "/api/v1/widget/attachments", PDF, {
        type: "application/pdf",
        filename: "invoice 📄.pdf",
        token: carla.token,
      });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      const res = await app.api("POST", "/api/v1/widget/messages", {
        body: { text: "", clientId: "pdf-1", attachments: [up.body.attachment.id] },
        headers: { authorization: `Bearer ${carla.token}` },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const chip = messages.getByRole("link", { name: /invoice 📄\.pdf · \d+ B/ });
      await chip.waitFor();
      const [download] = await Promise.all([a.page.waitForEvent("download"), chip.click()]);
      assert.equal(download.suggestedFilename(), "invoice 📄.pdf");
      // The list preview names the file, emoji whole.
      await rows(a.page).filter({ hasText: "📎 invoice 📄.pdf" }).waitFor();
    });

    await t.step("axe: nothing serious with files and links in the log", async () => {
      assert.deepEqual(await seriousViolations(a.page), []);
    });
  } finally {
    await browser.close();
    await app.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
