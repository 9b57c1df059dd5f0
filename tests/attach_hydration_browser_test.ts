/**
 * The workspace's "Attach file" (and the composer's other script-only button,
 * "Quick responses") before its island hydrates, in real Chromium:
 * while the islands bundle is still on its way (held by the test) the
 * server-rendered button says it cannot work yet (aria-disabled, still
 * focusable, the reason as its description), pressing it opens nothing, and
 * axe finds nothing serious; once the bundle runs it opens the file chooser
 * by keyboard and uploads. Without scripts at all it says the same.
 */
import assert from "node:assert/strict";
import type { FileChooser, Page, Route } from "playwright-core";
import { setAgentStatus } from "../lib/store/engine/mod.ts";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { seriousViolations, Visitor } from "./workspace_helpers.ts";
import { PNG } from "./attachment_fixtures.ts";

const REASON = "Attaching files works once the page has finished loading.";
const QUICK_REASON = "Works once the page has finished loading.";

/** A button's state as assistive technology gets it: name, aria-disabled, description. */
async function attachState(page: Page, name = "Attach file") {
  const attach = page.getByRole("button", { name });
  const describedBy = await attach.getAttribute("aria-describedby");
  return {
    disabled: await attach.getAttribute("aria-disabled"),
    description: describedBy ? await page.locator(`[id="${describedBy}"]`).textContent() : null,
    title: (await attach.getAttribute("title")) || null, // (Preact leaves an empty title: none)
  };
}

Deno.test("[attachments] browser: 'Attach file' and 'Quick responses' say they are not ready before hydration, then work", async () => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  const dir = await Deno.makeTempDir();
  try {
    const ana = await app.createStaff("agent", { name: "Ana Agent" });
    await setAgentStatus(app.engine, ana.agent.id, "online");
    const carla = await new Visitor(app).start("Carla Customer");
    const id = await carla.say("Can I send you a photo?");
    const [name, value] = ana.cookie.split("=");
    const chat = `${app.url}/?c=${encodeURIComponent(id)}&tab=active`;

    // Without scripts the button never works, and says why.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    await plain.addCookies([{ name, value, url: app.url }]);
    const still = await plain.newPage();
    await still.goto(chat);
    assert.deepEqual(await attachState(still), {
      disabled: "true",
      description: REASON,
      title: REASON,
    });
    assert.deepEqual(await attachState(still, "Quick responses"), {
      disabled: "true",
      description: QUICK_REASON,
      title: QUICK_REASON,
    });
    await plain.close();

    const ctx = await browser.newContext();
    await ctx.addCookies([{ name, value, url: app.url }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    const choosers: FileChooser[] = [];
    page.on("filechooser", (c) => choosers.push(c)); // from the start: every chooser is seen
    // The islands bundle is held until the test has pressed the server-rendered button.
    let release!: () => void;
    const held = new Promise<void>((r) => release = r);
    await page.route("**/static/build/islands.*.js", async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(chat, { waitUntil: "commit" });
    const attach = page.getByRole("button", { name: "Attach file" });
    await attach.waitFor();
    assert.deepEqual(await attachState(page), {
      disabled: "true",
      description: REASON,
      title: REASON,
    });
    await attach.focus();
    assert.ok(await attach.evaluate((b) => b === document.activeElement), "still focusable");
    await page.keyboard.press("Enter");
    const quick = page.getByRole("button", { name: "Quick responses" });
    assert.deepEqual(await attachState(page, "Quick responses"), {
      disabled: "true",
      description: QUICK_REASON,
      title: QUICK_REASON,
    });
    await quick.focus();
    await page.keyboard.press("Enter");
    assert.deepEqual(await seriousViolations(page), []);

    release();
    await page.locator("button:not([aria-disabled])", { hasText: "Attach file" }).waitFor();
    assert.deepEqual(await attachState(page), { disabled: null, description: null, title: null });
    assert.equal(choosers.length, 0, "the press before hydration opened nothing");
    assert.deepEqual(await attachState(page, "Quick responses"), {
      disabled: null,
      description: null,
      title: null,
    });
    assert.equal(
      await quick.getAttribute("aria-expanded"),
      "false",
      "the early press opened nothing",
    );
    await quick.focus();
    await page.keyboard.press("Enter");
    await page.locator('button[aria-expanded="true"]', { hasText: "Quick responses" }).waitFor();
    await page.keyboard.press("Escape");

    const png = `${dir}/early bird.png`;
    await Deno.writeFile(png, PNG);
    await attach.focus();
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      page.keyboard.press("Enter"),
    ]);
    await chooser.setFiles(png);
    const pending = page.getByRole("list", { name: "Files to send" });
    await pending.getByText("early bird.png").waitFor();
    await pending.getByText(/\d+ B$/).waitFor(); // uploaded
    assert.equal(choosers.length, 1);
  } finally {
    await browser.close();
    await app.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
