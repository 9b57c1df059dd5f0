/**
 * Files from the widget, in real Chromium: a visitor on a host page of its
 * own origin attaches an image and a PDF with the keyboard ("Attach a
 * file"); the upload state is announced ("Uploading…"), a lost upload says
 * "Not sent" with Try again, and both files reach the agent's workspace live,
 * where the agent opens them. A file over 10 MB and a kind not allowed are
 * refused in the visitor's words (English and Portuguese); the agent's photo
 * and a safe link show in the widget; axe finds nothing serious in either.
 */
import assert from "node:assert/strict";
import type { Page, Route } from "playwright-core";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { startHost, until, widget } from "./widget_host.ts";
import { log, openAs, rows, seriousViolations, setStatus } from "./workspace_helpers.ts";
import { createSite } from "../lib/store/sites.ts";
import { PDF, PNG, sized, upload } from "./attachment_fixtures.ts";

/**
 * Presses Enter on the widget's "Attach a file" and gives the chooser `files`. (The page must
 * have a `filechooser` listener from the start, see `intercept`: one added only with the press
 * may reach the browser after it, and the chooser then opens unseen.)
 */
async function attachByKeyboard(page: Page, name: string, files: string | string[]) {
  const attach = page.getByRole("button", { name });
  await attach.focus();
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    page.keyboard.press("Enter"),
  ]);
  await chooser.setFiles(files);
}

/** Makes the page hand every file chooser to the test (before anything is pressed). */
function intercept(page: Page): void {
  page.on("filechooser", () => {});
}

Deno.test("[widget] browser: a visitor sends an image and a PDF, the agent opens both live; refusals in words", async (t) => {
  const app = await startTestApp();
  const host = startHost(app);
  const browser = await launchBrowser();
  const dir = await Deno.makeTempDir();
  try {
    const site = await createSite(app.engine, { name: "File shop", allowedOrigins: [host.origin] });
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    const agent = await openAs(browser, app.url, ana);
    await setStatus(agent.page, "online");

    const page = await browser.newPage();
    intercept(page);
    await page.goto(host.url({ siteKey: site.siteKey }));
    const w = widget(page);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await w.launcher.click();
    await w.input.waitFor();
    const uploads = "**/api/v1/widget/attachments?*";

    await t.step("the image: 'Uploading…' is announced, then it shows in the log", async () => {
      const png = `${dir}/red square.png`;
      await Deno.writeFile(png, PNG);
      // The upload is held until the page has said it is uploading.
      let release!: () => void;
      const held = new Promise<void>((r) => release = r);
      let passed!: () => void;
      const through = new Promise<void>((r) => passed = r);
      await page.route(uploads, async (route: Route) => {
        await held;
        await route.continue();
        passed();
      });
      await attachByKeyboard(page, "Attach a file", png);
      await page.getByRole("status").filter({ hasText: "red square.png: Uploading…" }).waitFor();
      const files = page.getByRole("list", { name: "Files you are sending" });
      await files.getByText("red square.png · Uploading…").waitFor();
      release();
      await through;
      await page.unroute(uploads);
      const img = w.log.getByRole("img", { name: "red square.png" });
      await img.waitFor();
      await until(
        "the preview loaded",
        () => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 4),
      );
      assert.match((await img.getAttribute("src")) ?? "", /^blob:/, "fetched with the token");
      await page.getByRole("status").filter({ hasText: "red square.png sent." }).waitFor();
      assert.ok(await files.isHidden(), "nothing left on its way");
    });

    await t.step(
      "the PDF: a lost upload says 'Not sent' with Try again, which sends it",
      async () => {
        const pdf = `${dir}/order 42 ✅.pdf`;
        await Deno.writeFile(pdf, PDF);
        await page.route(uploads, (route: Route) => route.abort("connectionreset"));
        await attachByKeyboard(page, "Attach a file", pdf);
        const problem = page.getByRole("alert").filter({
          hasText: "Not sent. Check your connection",
        });
        await problem.waitFor();
        await page.unroute(uploads);
        const again = page.getByRole("button", { name: "Try again: order 42 ✅.pdf" });
        await again.focus();
        await page.keyboard.press("Enter");
        const chip = w.log.getByRole("button", { name: /order 42 ✅\.pdf · \d+ B/ });
        await chip.waitFor();
        // The visitor downloads their own file from the chip.
        const [download] = await Promise.all([page.waitForEvent("download"), chip.click()]);
        assert.equal(download.suggestedFilename(), "order 42 ✅.pdf");
        assert.deepEqual(await Deno.readFile((await download.path())!), PDF);
      },
    );

    await t.step("the agent sees both live in the workspace and opens them", async () => {
      const row = rows(agent.page).first();
      await row.getByRole("link").click();
      const messages = log(agent.page);
      const img = messages.getByRole("img", { name: "red square.png" });
      await img.waitFor();
      await until(
        "the agent's preview loaded",
        () => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 4),
      );
      const pdfLink = messages.getByRole("link", { name: /order 42 ✅\.pdf · \d+ B/ });
      const [download] = await Promise.all([agent.page.waitForEvent("download"), pdfLink.click()]);
      assert.equal(download.suggestedFilename(), "order 42 ✅.pdf");
      assert.deepEqual(await Deno.readFile((await download.path())!), PDF);
      // The image opens too (its own URL, served inline to the staff who may see the chat).
      const src = await img.getAttribute("src");
      const res = await agent.page.request.get(new URL(src!, app.url).href);
      assert.equal(res.status(), 200);
      assert.deepEqual(new Uint8Array(await res.body()), PNG);
    });

    await t.step(
      "a file over 10 MB and an SVG are refused, in words; Remove clears them",
      async () => {
        const big = `${dir}/holiday video.pdf`;
        await Deno.writeFile(big, sized(PDF, 11 * 1024 * 1024));
        const svg = `${dir}/logo.svg`;
        await Deno.writeTextFile(svg, "<svg xmlns='http://www.w3.org/2000/svg'></svg>");
        let asked = 0;
        await page.route(uploads, (route: Route) => (asked++, route.continue()));
        await attachByKeyboard(page, "Attach a file", [big, svg]);
        await page.getByRole("alert").filter({
          hasText: "This file is too big to send (11.0 MB). Files can be up to 10 MB.",
        }).waitFor();
        await page.getByRole("alert").filter({ hasText: "This kind of file cannot be sent." })
          .waitFor();
        assert.equal(asked, 0, "refused files are not uploaded");
        await page.unroute(uploads);
        assert.deepEqual(await seriousViolations(page), [], "axe with the refusals showing");
        const remove = page.getByRole("button", { name: "Remove holiday video.pdf" });
        await remove.focus();
        await page.keyboard.press("Enter");
        await remove.waitFor({ state: "detached" });
        assert.equal(
          await page.evaluate(() =>
            document.querySelector("parley-chat")!.shadowRoot!.activeElement?.getAttribute(
              "aria-label",
            )
          ),
          "Attach a file",
          "focus goes back to Attach a file",
        );
        await page.getByRole("button", { name: "Remove logo.svg" }).click();
        assert.ok(await page.getByRole("list", { name: "Files you are sending" }).isHidden());
      },
    );

    await t.step("the agent's photo shows as a preview; links are safe", async () => {
      const mine = await app.api("GET", "/api/v1/conversations?status=active", { as: ana });
      const conversationId = mine.body.items[0].id;
      const up = await upload(app, `/api/v1/conversations/${conversationId}/attachments`, PNG, {
        type: "image/png",
        filename: "label.png",
        cookie: ana.cookie,
      });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      const sent = await app.api("POST", `/api/v1/conversations/${conversationId}/messages`, {
        as: ana,
        body: {
          text: "Print this 🏷️ and see https://example.com/returns?x=1 (not javascript:alert(1))",
          clientId: "s-photo",
          attachments: [up.body.attachment.id],
        },
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const img = w.log.getByRole("img", { name: "label.png" });
      await img.waitFor();
      await until(
        "the preview loaded",
        () => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 4),
      );
      const link = w.log.getByRole("link", { name: "https://example.com/returns?x=1" });
      assert.equal(await link.getAttribute("href"), "https://example.com/returns?x=1");
      assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow");
      assert.equal(await w.log.locator('a[href^="javascript:"]').count(), 0);
    });

    await t.step("axe: nothing serious in the widget and the workspace with files", async () => {
      assert.deepEqual(await seriousViolations(page), []);
      assert.deepEqual(await seriousViolations(agent.page), []);
    });

    await t.step("in Portuguese: the button and the refusal in the visitor's words", async () => {
      const pt = await browser.newPage();
      intercept(pt);
      await pt.goto(host.url({ siteKey: site.siteKey, data: { lang: "pt-BR" } }));
      await pt.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
      await pt.getByRole("button", { name: "Abrir chat" }).click();
      await attachByKeyboard(pt, "Anexar um arquivo", `${dir}/holiday video.pdf`);
      await pt.getByRole("alert").filter({
        hasText:
          "Este arquivo é grande demais para enviar (11,0 MB). Os arquivos podem ter até 10 MB.",
      }).waitFor();
      await pt.getByRole("button", { name: "Remover holiday video.pdf" }).waitFor();
      await pt.close();
    });
  } finally {
    await browser.close();
    await host.shutdown();
    await app.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
