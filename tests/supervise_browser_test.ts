/**
 * A supervisor's view in Chromium: the live dashboard changes while chats
 * arrive, are picked up and closed (no reload); a report's CSV downloads and
 * holds exactly what its table shows; axe finds nothing serious on either
 * page.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser, startTestApp } from "./helpers.ts";
import { parseCsv } from "./csv_parse.ts";
import { receiveCustomerMessage } from "../lib/store/engine/mod.ts";

async function axeSerious(page: Page): Promise<string[]> {
  const axeSource = await Deno.readTextFile(
    new URL("../node_modules/axe-core/axe.min.js", import.meta.url),
  );
  await page.evaluate(axeSource);
  // deno-lint-ignore no-explicit-any
  const result: any = await page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (window as any).axe.run(document, { resultTypes: ["violations"] })
  );
  return result.violations
    .filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
    .map((v: { id: string; nodes: { target: string[] }[] }) =>
      `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
    );
}

Deno.test("[supervise] browser: the dashboard follows chats live; a report's CSV matches its table", async (t) => {
  const app = await startTestApp();
  const browser = await launchBrowser();
  try {
    const admin = await app.createStaff("admin");
    const boss = await app.createStaff("supervisor", { name: "Sue Supervisor" });
    const ann = await app.createStaff("agent", { name: "Ann Agent", maxChats: 3 });
    await app.api("PUT", "/api/v1/admin/settings", {
      as: admin,
      body: { dynamicAssignment: false },
    });
    await app.api("PUT", "/api/v1/me/status", { as: ann, body: { status: "online" } });
    const context = await browser.newContext({ acceptDownloads: true });
    // The page's clock runs as usual, and a step can jump it ahead (a chat left waiting).
    await context.clock.install();
    const [name, value] = boss.cookie.split("=");
    await context.addCookies([{ name, value, url: app.url }]);
    const page = await context.newPage();
    const text = async (id: string) => (await page.getByTestId(id).textContent())?.trim();
    const until = async (id: string, expected: string) =>
      await page.getByTestId(id).filter({ hasText: new RegExp(`^${expected}$`) }).waitFor();

    await t.step("the workspace header leads to the dashboard", async () => {
      await page.goto(app.url + "/");
      await page.getByRole("link", { name: "Dashboard" }).click();
      await page.waitForURL(/\/supervise$/);
      await until("dashboard-connection", "Live");
      assert.equal(await text("waiting-total"), "0");
      assert.equal(await text("today-created"), "0");
      const row = page.getByTestId("agents-now").getByRole("row").filter({ hasText: "Ann Agent" });
      assert.equal((await row.getByTestId("agent-status").textContent())?.trim(), "Online");
      assert.equal((await row.getByTestId("agent-load").textContent())?.trim(), "0 / 3");
    });

    let first = "";
    await t.step("chats arrive: waiting and today's New go up, without a reload", async () => {
      await page.evaluate(() => (window as unknown as { marker: number }).marker = 1);
      for (const who of ["Zoe", "Yann"]) {
        const { conversation } = await receiveCustomerMessage(app.engine, {
          channel: "webchat",
          contact: { webVisitorId: crypto.randomUUID(), name: who },
          clientId: crypto.randomUUID(),
          text: "Hello?",
        });
        first ||= conversation.id;
      }
      await until("waiting-total", "2");
      await until("today-created", "2");
      await page.getByTestId("longest-wait").waitFor();
      assert.equal(await page.evaluate(() => (window as unknown as { marker: number }).marker), 1);
    });

    await t.step("a pickup moves a chat to the agent's load", async () => {
      const res = await app.api("POST", `/api/v1/conversations/${first}/pickup`, {
        as: ann,
        body: {},
      });
      assert.equal(res.status, 200);
      await until("waiting-total", "1");
      const row = page.getByTestId("agents-now").getByRole("row").filter({ hasText: "Ann Agent" });
      await row.getByTestId("agent-load").filter({ hasText: "1 / 3" }).waitFor();
    });

    await t.step("a status change shows at once", async () => {
      await app.api("PUT", "/api/v1/me/status", { as: ann, body: { status: "busy" } });
      const row = page.getByTestId("agents-now").getByRole("row").filter({ hasText: "Ann Agent" });
      await row.getByTestId("agent-status").filter({ hasText: "Busy" }).waitFor();
    });

    await t.step("a close counts in Closed and Resolved", async () => {
      await app.api("POST", `/api/v1/conversations/${first}/messages`, {
        as: ann,
        body: { text: "Sorted", clientId: crypto.randomUUID() },
      });
      const res = await app.api("POST", `/api/v1/conversations/${first}/close`, {
        as: ann,
        body: { notes: "Done", tags: ["ok"] },
      });
      assert.equal(res.status, 200);
      await until("today-closed", "1");
      await until("today-handled", "1");
      assert.equal(await text("waiting-total"), "1");
      assert.deepEqual(await axeSerious(page), [], "/supervise");
    });

    await t.step(
      "an Active chat left without a reply is flagged; one click transfers it",
      async () => {
        const waiting = (await app.api("GET", "/api/v1/conversations?status=pending", { as: boss }))
          .body.items[0];
        await app.api("PUT", "/api/v1/me/status", { as: boss, body: { status: "online" } });
        let res = await app.api("POST", `/api/v1/conversations/${waiting.id}/pickup`, {
          as: boss,
          body: {},
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        await until("waiting-total", "0");
        assert.equal(await text("slow-count"), "0", "not yet: the threshold is 120 s");
        await page.clock.fastForward("02:05");
        await until("slow-count", "1");
        const row = page.getByTestId("slow-chat").filter({ hasText: "Yann" });
        await row.filter({ hasText: "with Sue Supervisor" }).waitFor();
        assert.equal(
          await row.getByRole("link", { name: "Open the chat with Yann" }).getAttribute("href"),
          `/?c=${waiting.id}`,
        );
        await row.getByLabel("Transfer the chat with Yann to").selectOption({
          label: "Ann Agent (Busy, 0 / 3)",
        });
        await row.getByRole("button", { name: "Transfer" }).click();
        await row.filter({ hasText: "with Ann Agent" }).waitFor();
        res = await app.api("GET", `/api/v1/conversations/${waiting.id}`, { as: boss });
        assert.equal(res.body.assigneeId ?? res.body.conversation?.assigneeId, ann.agent.id);
        await until("today-transferred", "1");
        assert.deepEqual(await axeSerious(page), [], "/supervise with a flagged chat");
      },
    );

    await t.step("the report's day table downloads as the same CSV", async () => {
      await page.getByRole("link", { name: "Reports" }).click();
      await page.waitForURL(/\/supervise\/reports/);
      const table = page.getByTestId("days-table");
      const cells = await table.locator("tr").evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent ?? ""))
      );
      const download = page.waitForEvent("download");
      await page.getByTestId("days-csv").click();
      const file = await download;
      assert.match(
        file.suggestedFilename(),
        /^parley-days-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const csv = parseCsv(await Deno.readTextFile((await file.path())!));
      const shown = cells.map((row) => row.map((c) => c === "—" ? "" : c));
      assert.deepEqual(csv, shown);
      const today = new Date().toISOString().slice(0, 10);
      const todayRow = csv.find((r) => r[0] === today)!;
      assert.equal(todayRow[csv[0].indexOf("New chats")], "2");
      assert.equal(todayRow[csv[0].indexOf("Resolved")], "1");
      assert.deepEqual(await axeSerious(page), [], "/supervise/reports");
    });

    await t.step("the agent table's CSV matches too", async () => {
      const cells = await page.getByTestId("agents-table").locator("tr").evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent ?? ""))
      );
      const download = page.waitForEvent("download");
      await page.getByTestId("agents-csv").click();
      const csv = parseCsv(await Deno.readTextFile((await (await download).path())!));
      // Time in status keeps running between the render and the download: compare the rest.
      const fixed = (rows: string[][]) => rows.map((r) => r.slice(0, 6));
      assert.deepEqual(fixed(csv), fixed(cells.map((r) => r.map((c) => c === "—" ? "" : c))));
      assert.ok(csv.some((r) => r[0] === "Ann Agent" && r[2] === "1"));
    });

    await t.step("in Portuguese the page and its CSVs still match, headings included", async () => {
      await app.api("PUT", "/api/v1/me/locale", { as: boss, body: { locale: "pt" } });
      await page.reload();
      await page.getByRole("heading", { name: "Relatórios", level: 1 }).waitFor();
      for (const id of ["days", "agents"]) {
        const cells = await page.getByTestId(`${id}-table`).locator("tr").evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent ?? ""))
        );
        const download = page.waitForEvent("download");
        await page.getByTestId(`${id}-csv`).click();
        const csv = parseCsv(await Deno.readTextFile((await (await download).path())!));
        const fixed = (rows: string[][]) => id === "agents" ? rows.map((r) => r.slice(0, 6)) : rows;
        assert.deepEqual(fixed(csv), fixed(cells.map((r) => r.map((c) => c === "—" ? "" : c))));
        if (id === "days") {
          assert.deepEqual(csv[0].slice(0, 2), ["Dia (UTC)", "Chats novos"]);
          assert.equal(csv.at(-1)![0], "Total");
          const today = new Date().toISOString().slice(0, 10);
          assert.equal(csv.find((r) => r[0] === today)![csv[0].indexOf("Resolvidos")], "1");
        } else assert.deepEqual(csv[0].slice(0, 3), ["Agente", "Equipe", "Chats resolvidos"]);
      }
      assert.deepEqual(await axeSerious(page), [], "/supervise/reports in Portuguese");
    });
    await context.close();
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
