import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { BrowserContext, Page } from "playwright-core";
import { launchBrowser, type Staff, startTestApp } from "./helpers.ts";
import { startFakeGraph } from "./fake_graph.ts";
import { PHONE_NUMBER_ID } from "./whatsapp_fixtures.ts";
import { getSite, listSites } from "../lib/store/sites.ts";
import { WIDGET_STUB, widgetEmbedSnippet } from "../lib/channels/widget_snippet.ts";
import { getStoredWhatsAppConfig } from "../lib/store/whatsapp_config.ts";
import { receiveCustomerMessage, setAgentStatus } from "../lib/store/engine/mod.ts";

const TOKEN = "EAAG-admin-browser-token";

async function signInAs(context: BrowserContext, url: string, staff: Staff) {
  const [name, value] = staff.cookie.split("=");
  await context.addCookies([{ name, value, url }]);
}

/** The error text tied to a field by aria-describedby. */
async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  assert.equal(await field.getAttribute("aria-invalid"), "true", `${label} is marked invalid`);
  const ids = (await field.getAttribute("aria-describedby")) ?? "";
  const errorId = ids.split(" ").find((id) => id.endsWith("-error"));
  assert.ok(errorId, `${label} has an error description`);
  return (await page.locator(`#${errorId}`).textContent()) ?? "";
}

Deno.test("[admin] browser: agents, teams, quick responses, routing, channels, audit", async (t) => {
  const graph = await startFakeGraph({ token: TOKEN, phoneNumberId: PHONE_NUMBER_ID });
  const app = await startTestApp({ WHATSAPP_GRAPH_URL: graph.url });
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin", { name: "Rosa Admin" });
    const context = await browser.newContext();
    await signInAs(context, app.url, admin);
    const page = await context.newPage();

    await t.step("teams: add, and a duplicate name is refused next to the field", async () => {
      await page.goto(app.url + "/admin");
      await page.getByRole("link", { name: "Teams" }).click();
      await page.getByLabel("Team name").fill("Billing");
      await page.getByRole("button", { name: "Add team" }).click();
      await page.getByRole("status").filter({ hasText: "Created." }).waitFor();
      await page.locator("[data-team-id] p.font-medium").getByText("Billing", { exact: true })
        .waitFor();
      await page.getByLabel("Team name").fill("billing");
      await page.getByRole("button", { name: "Add team" }).click();
      await page.getByRole("alert").filter({ hasText: 'A team named "billing" already exists' })
        .waitFor();
    });

    let inviteUrl = "";
    await t.step("agents: field errors, invite link, live list", async () => {
      await page.getByRole("link", { name: "Agents" }).click();
      await page.getByLabel("Name", { exact: true }).fill("Ivan Invitee");
      await page.getByLabel("Email", { exact: true }).fill("not-an-email");
      await page.getByRole("button", { name: "Add agent" }).click();
      assert.equal(await fieldError(page, "Email"), "Not an email address");
      assert.match(await fieldError(page, "Initial password"), /invite link/);
      assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Ivan Invitee");

      await page.getByLabel("Email", { exact: true }).fill("ivan@example.test");
      await page.getByLabel("Team", { exact: true }).selectOption({ label: "Billing" });
      await page.getByLabel("Send a one-time invite link instead of a password").check();
      await page.getByRole("button", { name: "Add agent" }).click();
      inviteUrl = await page.getByRole("textbox", { name: "Invite link" }).inputValue();
      assert.match(inviteUrl, new RegExp(`^${app.url}/invite/`));
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
      await page.getByRole("button", { name: "Copy Invite link" }).click();
      await page.getByText("Copied.").waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), inviteUrl);
      const row = page.getByTestId("agent-table").getByRole("row").filter({
        hasText: "Ivan Invitee",
      });
      await row.getByText("Invited").waitFor();
      await row.getByText("Billing").waitFor();
    });

    await t.step("the invitee chooses a password once, then signs in", async () => {
      const guest = await browser.newContext();
      try {
        const p = await guest.newPage();
        await p.goto(inviteUrl);
        await p.getByText("ivan@example.test").waitFor();
        await p.getByLabel("Password", { exact: true }).fill("ivans-password");
        await p.getByLabel("Repeat the password").fill("ivans-password");
        await p.getByRole("button", { name: "Set password" }).click();
        // Sign-in says what just happened and has the email filled in (issue 18).
        await p.waitForURL(/\/login\?/);
        await p.getByRole("status").filter({ hasText: "Your password is set" }).waitFor();
        assert.equal(await p.getByLabel("Email").inputValue(), "ivan@example.test");
        await p.getByLabel("Password").fill("ivans-password");
        await p.getByRole("button", { name: "Sign in" }).click();
        await p.waitForURL(app.url + "/");
        const again = await p.goto(inviteUrl);
        assert.equal(again?.status(), 404, "the link works once");
        const adminPage = await p.goto(app.url + "/admin");
        assert.equal(adminPage?.status(), 403, "an agent cannot open the console");
      } finally {
        await guest.close();
      }
    });

    await t.step("agents: edit the role, then deactivate", async () => {
      await page.goto(app.url + "/admin/agents");
      await page.getByRole("link", { name: "Edit Ivan Invitee" }).click();
      await page.getByLabel("Role").selectOption("supervisor");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
      assert.equal(await page.getByLabel("Role").inputValue(), "supervisor");
      await page.getByRole("button", { name: "Deactivate account" }).click();
      await page.getByRole("status").filter({ hasText: "Account deactivated" }).waitFor();
      await page.getByRole("button", { name: "Reactivate account" }).waitFor();
    });

    await t.step("agents: the list shows status and load live, without a reload", async () => {
      const olga = await app.createStaff("agent", { name: "Olga Online" });
      await page.goto(app.url + "/admin/agents");
      const row = page.getByTestId("agent-table").getByRole("row").filter({ hasText: "Olga" });
      await row.getByTestId("agent-status").getByText("Offline").waitFor();
      await setAgentStatus(app.engine, olga.agent.id, "online");
      await receiveCustomerMessage(app.engine, {
        channel: "webchat",
        contact: { webVisitorId: "browser-visitor", name: "Visitor" },
        clientId: "c1",
        text: "Hello",
      });
      await row.getByTestId("agent-status").getByText("Online").waitFor();
      await row.getByTestId("agent-load").getByText("1 / 5").waitFor();
      await row.getByRole("link", { name: "Edit Olga Online" }).click();
      await page.getByTestId("agent-live").getByText("Online · 1 of 5 chats").waitFor();
    });

    await t.step("quick responses: live preview with sample values, syntax errors", async () => {
      await page.getByRole("link", { name: "Quick responses" }).click();
      await page.getByLabel("Title").fill("Order status");
      await page.getByLabel("Shortcut").fill("/order");
      const body = page.getByLabel("Body", { exact: true });
      await body.fill("Hi {{contact.firstName}}, order {{field:Order number}} is on its way");
      const preview = page.getByTestId("qr-preview");
      await preview.getByText("Ada", { exact: true }).waitFor();
      await preview.locator("mark", { hasText: "{{field:Order number}}" }).waitFor();
      await page.getByLabel("Order number").fill("A-77");
      await preview.getByText("A-77").waitFor();
      assert.equal(await preview.locator("mark").count(), 0);

      await body.fill("Hi {{contact.name");
      await page.getByTestId("qr-issues").getByText(/is not closed/).waitFor();
      await page.getByRole("button", { name: "Create quick response" }).click();
      assert.match(await fieldError(page, "Body"), /not closed with "\}\}"/);

      await page.getByLabel("Body", { exact: true }).fill("Hi {{contact.firstName}}!");
      await page.getByLabel("Who can use it").selectOption("team");
      await page.getByLabel("Team", { exact: true }).selectOption({ label: "Billing" });
      await page.getByRole("button", { name: "Create quick response" }).click();
      await page.getByRole("status").filter({ hasText: "Created." }).waitFor();
      const row = page.getByRole("row").filter({ hasText: "Order status" });
      await row.getByText("/order").waitFor();
      await row.getByText("Team: Billing").waitFor();
    });

    await t.step("quick responses: import a JSON file; bad JSON is refused", async () => {
      await page.goto(app.url + "/admin/quick-responses");
      await page.getByLabel("Or paste the JSON").fill("{not json");
      await page.getByRole("button", { name: "Import", exact: true }).click();
      await page.getByRole("alert").filter({ hasText: "not valid JSON" }).waitFor();
      const file = {
        quickResponses: [
          {
            title: "Goodbye",
            shortcut: "bye",
            body: "Bye {{contact.firstName}}",
            scope: "everyone",
          },
          { title: "Order status", shortcut: "order", body: "Replaced", scope: "everyone" },
        ],
      };
      await page.getByLabel("Or paste the JSON").fill("");
      await page.getByLabel("JSON file to import").setInputFiles({
        name: "quick-responses.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify(file)),
      });
      await page.getByRole("button", { name: "Import", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "Imported: 2 created, 0 replaced." })
        .waitFor();
      await page.getByRole("row").filter({ hasText: "/bye" }).waitFor();
    });

    await t.step("routing: settings saved with field errors on bad values", async () => {
      await page.getByRole("link", { name: "Routing" }).click();
      await page.getByLabel("Max chats per agent").fill("0");
      await page.getByRole("button", { name: "Save settings" }).click();
      assert.equal(
        await fieldError(page, "Max chats per agent"),
        "Max chats must be between 1 and 100",
      );
      await page.getByLabel("Max chats per agent").fill("4");
      await page.getByLabel("Dynamic assignment").uncheck();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
      assert.equal(await page.getByLabel("Max chats per agent").inputValue(), "4");
      assert.equal(await page.getByLabel("Dynamic assignment").isChecked(), false);
    });

    await t.step("channels: a widget site with its embed snippet", async () => {
      await page.getByRole("link", { name: "Channels" }).click();
      const add = page.getByRole("region", { name: "Add a site" });
      await add.getByLabel("Site name").fill("Shop");
      await add.getByLabel("Allowed origins").fill("https://shop.example\nnot a url");
      await add.getByRole("button", { name: "Add site" }).click();
      await page.getByText('"not a url" is not an origin').waitFor();
      await page.getByLabel("Allowed origins").fill("https://Shop.example:443/");
      await page.getByLabel("Route to team").first().selectOption({ label: "Billing" });
      await page.getByRole("button", { name: "Add site" }).click();
      await page.getByRole("status").filter({ hasText: "Created." }).waitFor();
      const shop = (await listSites(app.kv)).find((s) => s.name === "Shop")!;
      assert.deepEqual(shop.allowedOrigins, ["https://shop.example"]);
      // The README's snippet, stub included (issue 18), from the one source; "Copy" copies it.
      const snippet = await page.getByLabel("Embed snippet for Shop").inputValue();
      assert.equal(snippet, widgetEmbedSnippet(app.url, shop.siteKey));
      assert.ok(snippet.split("\n").map((l) => l.trim()).join("").includes(WIDGET_STUB));
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
      await page.getByRole("button", { name: "Copy Embed snippet for Shop" }).click();
      await page.getByText("Copied.").waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);

      // Two sites never share a name (case and spaces aside): 409 with the reason at the field.
      await add.getByLabel("Site name").fill("  shop ");
      await add.getByRole("button", { name: "Add site" }).click();
      assert.match(await fieldError(page, "Site name"), /Another site is already called "Shop"/);
      assert.equal((await listSites(app.kv)).filter((s) => /shop/i.test(s.name)).length, 1);

      // "Delete site" asks first, saying what stops working; Cancel keeps the site.
      await page.getByLabel("Site name").fill("Old shop");
      await page.getByLabel("Allowed origins").fill("https://old.example");
      await page.getByRole("button", { name: "Add site" }).click();
      await page.getByRole("status").filter({ hasText: "Created." }).waitFor();
      const old = (await listSites(app.kv)).find((s) => s.name === "Old shop")!;
      await page.getByRole("link", { name: "Edit Old shop" }).click();
      await page.getByRole("link", { name: "Delete site…" }).click();
      await page.getByRole("heading", { name: 'Delete the site "Old shop"?' }).waitFor();
      await page.getByText("visitors on https://old.example can no longer chat").waitFor();
      await page.getByRole("link", { name: "Cancel" }).click();
      assert.ok(await getSite(app.kv, old.id), "Cancel deletes nothing");
      await page.getByRole("link", { name: "Delete site…" }).click();
      await page.getByRole("button", { name: "Delete site" }).click();
      await page.getByRole("status").filter({ hasText: "Deleted." }).waitFor();
      assert.equal(await getSite(app.kv, old.id), null);
      await page.getByRole("link", { name: "Edit Shop" }).waitFor();
      await page.getByRole("link", { name: "Edit Shop" }).click();
      await page.getByLabel("Greeting").fill("Welcome to the shop!");
      await page.getByRole("button", { name: "Save site" }).click();
      await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
      assert.equal((await getSite(app.kv, shop.id))?.greeting, "Welcome to the shop!");
    });

    await t.step("channels: WhatsApp secrets are write-only; Test connection", async () => {
      await page.goto(app.url + "/admin/channels");
      await page.getByRole("button", { name: "Test connection" }).click();
      await page.getByRole("alert").filter({ hasText: "Set the phone number id" }).waitFor();
      // One message: no "settings complete" line beside a failed test.
      assert.equal(await page.getByTestId("whatsapp-state").count(), 0);
      await page.getByTestId("whatsapp-test-result").filter({ hasText: /^Not connected: / })
        .waitFor();
      await page.getByLabel("Phone number id").fill(PHONE_NUMBER_ID);
      await page.getByLabel("Access token", { exact: true }).fill(TOKEN);
      await page.getByLabel("App secret", { exact: true }).fill("app-secret-value");
      await page.getByRole("button", { name: "Save WhatsApp settings" }).click();
      await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
      const html = await page.content();
      assert.ok(!html.includes(TOKEN) && !html.includes("app-secret-value"), "never shown back");
      assert.equal(await page.getByLabel("Access token", { exact: true }).inputValue(), "");
      await page.getByText(/^Set\. Leave empty to keep it/).first().waitFor();
      await page.getByRole("button", { name: "Test connection" }).click();
      await page.getByTestId("whatsapp-test-result").filter({ hasText: "Parley Support" })
        .waitFor();
      // Saving again with the secret fields blank keeps the stored secrets.
      await page.getByRole("button", { name: "Save WhatsApp settings" }).click();
      await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
      const stored = await getStoredWhatsAppConfig(app.kv);
      assert.equal(stored.accessToken, TOKEN);
      assert.equal(stored.appSecret, "app-secret-value");
    });

    await t.step("audit log: every change, filterable, without secrets", async () => {
      await page.getByRole("link", { name: "Audit log" }).click();
      const table = page.getByTestId("audit-table");
      // Readable (issue 18): events in words, details as sentences, teams by name, no JSON.
      for (
        const action of [
          "Team created",
          "Account created",
          "Account changed",
          "Quick response created",
          "Routing settings changed",
          "Widget site created",
          "Widget site deleted",
          "WhatsApp connection changed",
          "WhatsApp connection tested",
        ]
      ) {
        await table.getByRole("cell", { name: action, exact: true }).first().waitFor();
      }
      await table.getByText("Max chats per agent: 5 → 4").waitFor();
      await table.getByText("Dynamic assignment: on → off").waitFor();
      await table.getByText("Changed: greeting").waitFor();
      await table.getByText("For team Billing").first().waitFor();
      const text = (await table.textContent()) ?? "";
      assert.doesNotMatch(text, /[{}"]\w+":|team\.created|site\.created/, "no JSON, no codes");
      assert.ok(!(await page.content()).includes(TOKEN));
      await page.getByLabel("What changed").selectOption("team");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/targetType=team/);
      const actions = await page.getByTestId("audit-table").locator("tbody td[data-action]")
        .allTextContents();
      assert.deepEqual(actions.map((a) => a.trim()), ["Team created"]);
    });

    await t.step("no serious accessibility violations on any console page (axe-core)", async () => {
      const axeSource = await Deno.readTextFile(
        new URL("../node_modules/axe-core/axe.min.js", import.meta.url),
      );
      for (
        const path of [
          "/admin/agents",
          "/admin/teams",
          "/admin/quick-responses",
          "/admin/settings",
          "/admin/channels",
          "/admin/audit",
        ]
      ) {
        await page.goto(app.url + path);
        await page.evaluate(axeSource);
        // deno-lint-ignore no-explicit-any
        const result: any = await page.evaluate(() =>
          // deno-lint-ignore no-explicit-any
          (window as any).axe.run(document, { resultTypes: ["violations"] })
        );
        assert.deepEqual(
          result.violations
            .filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
            .map((v: { id: string; nodes: { target: string[] }[] }) =>
              `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
            ),
          [],
          path,
        );
      }
    });

    await t.step("the forms work without JavaScript", async () => {
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      try {
        await signInAs(noJs, app.url, admin);
        const p = await noJs.newPage();
        await p.goto(app.url + "/admin/teams");
        await p.getByLabel("Team name").fill("Night shift");
        await p.getByRole("button", { name: "Add team" }).click();
        await p.getByRole("status").filter({ hasText: "Created." }).waitFor();
        await p.locator("[data-team-id] p.font-medium").getByText("Night shift").waitFor();
        await p.goto(app.url + "/admin/quick-responses");
        await p.getByLabel("Title").fill("Thanks");
        await p.getByLabel("Shortcut").fill("thanks");
        await p.getByLabel("Body", { exact: true }).fill("Thank you, {{contact.name}}!");
        await p.getByRole("button", { name: "Create quick response" }).click();
        await p.getByRole("row").filter({ hasText: "/thanks" }).waitFor();
      } finally {
        await noJs.close();
      }
    });
    await context.close();
  } finally {
    await browser.close();
    await app.shutdown();
    await graph.close();
  }
});
