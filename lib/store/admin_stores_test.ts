import assert from "node:assert/strict";
import { AppError } from "../errors.ts";
import { createAgent, getAgent, getAgentByEmail, setAgentActive, updateAgent } from "./agents.ts";
import { listAudit } from "./audit.ts";
import { createTeam, deleteTeam, listTeams, renameTeam } from "./teams.ts";
import {
  createQuickResponse,
  deleteQuickResponse,
  importQuickResponses,
  listUsableQuickResponses,
  quickResponseInputSchema,
  updateQuickResponse,
} from "./quick_responses.ts";
import { Engine } from "./engine/engine.ts";

const ITER = 1000;
const actor = { id: "admin-1", name: "Ada Admin" };

async function rejects(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (err) => err instanceof AppError && err.code === code);
}

function randomAgent(
  role: "agent" | "supervisor" | "admin" = "agent",
  teamId: string | null = null,
) {
  const n = crypto.randomUUID().slice(0, 8);
  return {
    name: `Agent ${n}`,
    email: `a${n}@example.test`,
    password: "a-long-password",
    role,
    teamId,
  };
}

Deno.test("[admin] updating an agent's email moves the email index atomically", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const a = await createAgent(kv, randomAgent(), ITER, actor);
    const b = await createAgent(kv, randomAgent(), ITER);
    await rejects(updateAgent(engine, a.id, { email: b.email }, actor), "email_taken");
    assert.equal((await getAgent(kv, a.id))?.email, a.email, "a refused change changes nothing");

    const updated = await updateAgent(
      engine,
      a.id,
      { email: "New@Example.test", name: "Renamed" },
      actor,
    );
    assert.equal(updated.email, "new@example.test");
    assert.equal((await getAgentByEmail(kv, "new@example.test"))?.id, a.id);
    assert.equal(await getAgentByEmail(kv, a.email), null, "the old email is free again");
    await createAgent(kv, { ...randomAgent(), email: a.email }, ITER);

    await rejects(updateAgent(engine, a.id, { teamId: "no-such-team" }, actor), "unknown_team");
    await rejects(updateAgent(engine, "missing", { name: "x" }, actor), "not_found");

    await setAgentActive(engine, a.id, false, actor);
    assert.equal((await getAgent(kv, a.id))?.active, false);

    const { items } = await listAudit(kv, { targetId: a.id });
    assert.deepEqual(items.map((e) => e.action), [
      "agent.deactivated",
      "agent.updated",
      "agent.created",
    ]);
    assert.deepEqual(items[1].details, { fields: ["email", "name"] });
    assert.equal(items[0].actorName, "Ada Admin");
  } finally {
    kv.close();
  }
});

Deno.test("[admin] teams: unique names, rename, no deleting a team with members", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const sales = await createTeam(engine, { name: "Sales" }, actor);
    await rejects(createTeam(engine, { name: "sales" }, actor), "name_taken");
    const support = await createTeam(engine, { name: "Support" }, actor);
    await rejects(renameTeam(engine, support.id, { name: "SALES" }, actor), "name_taken");
    await renameTeam(engine, sales.id, { name: "Sales EU" }, actor);
    await createTeam(engine, { name: "Sales" }, actor); // the old name is free
    assert.deepEqual((await listTeams(kv)).map((t) => t.name), ["Sales", "Sales EU", "Support"]);

    const member = await createAgent(kv, randomAgent(), ITER);
    await updateAgent(engine, member.id, { teamId: support.id }, actor);
    await rejects(deleteTeam(engine, support.id, actor), "team_not_empty");
    await updateAgent(engine, member.id, { teamId: null }, actor);
    await deleteTeam(engine, support.id, actor);
    assert.equal((await listTeams(kv)).length, 2);
    const audit = await listAudit(kv, { targetType: "team" });
    assert.equal(audit.items[0].action, "team.deleted");
  } finally {
    kv.close();
  }
});

Deno.test("[admin] quick responses: scopes decide who sees and who manages", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const team = await createTeam(engine, { name: "Billing" }, actor);
    const admin = { ...(await createAgent(kv, randomAgent("admin"), ITER)) };
    const inTeam = await createAgent(kv, randomAgent("agent", team.id), ITER);
    const other = await createAgent(kv, randomAgent("agent"), ITER);
    const input = (v: Record<string, unknown>) => quickResponseInputSchema.parse(v);

    await createQuickResponse(
      engine,
      input({ title: "Hello", shortcut: "/Hi", body: "Hi!" }),
      admin,
    );
    await createQuickResponse(
      engine,
      input({
        title: "Refund",
        shortcut: "refund",
        body: "Refunded.",
        scope: "team",
        teamId: team.id,
      }),
      admin,
    );
    const mine = await createQuickResponse(
      engine,
      input({ title: "Mine", shortcut: "hi", body: "Yo {{contact.name}}", scope: "personal" }),
      other,
    );
    assert.equal(mine.ownerId, other.id);
    await rejects(
      createQuickResponse(engine, input({ title: "X", shortcut: "hi", body: "x" }), admin),
      "shortcut_taken",
    );
    await rejects(
      createQuickResponse(engine, input({ title: "X", shortcut: "x", body: "x" }), other),
      "forbidden",
    );

    const titles = async (who: { id: string; teamId: string | null }) =>
      (await listUsableQuickResponses(kv, who)).map((q) => q.title);
    assert.deepEqual(await titles(inTeam), ["Hello", "Refund"]);
    assert.deepEqual(await titles(other), ["Hello", "Mine"]);

    await rejects(
      updateQuickResponse(
        engine,
        mine.id,
        input({ title: "M", shortcut: "m", body: "m", scope: "personal" }),
        inTeam,
      ),
      "not_found",
    );
    await updateQuickResponse(
      engine,
      mine.id,
      input({ title: "Mine 2", shortcut: "yo", body: "Yo", scope: "personal" }),
      other,
    );
    assert.deepEqual(await titles(other), ["Hello", "Mine 2"]);
    await createQuickResponse(
      engine,
      input({ title: "Again", shortcut: "hi", body: "x", scope: "personal" }),
      other,
    );
    await deleteQuickResponse(engine, mine.id, admin);
    assert.deepEqual(await titles(other), ["Again", "Hello"]);

    const result = await importQuickResponses(engine, [
      input({ title: "Hello v2", shortcut: "hi", body: "Hello again" }),
      input({ title: "Bye", shortcut: "bye", body: "Bye {{contact.firstName}}" }),
    ], admin);
    assert.deepEqual(result, { created: 1, updated: 1 });
    assert.deepEqual(await titles(inTeam), ["Bye", "Hello v2", "Refund"]);
    await rejects(
      importQuickResponses(engine, [
        input({ title: "T", shortcut: "t", body: "t", scope: "team", teamId: "nope" }),
      ], admin),
      "invalid",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[admin] quick response bodies with bad placeholders are refused with the reason", () => {
  const result = quickResponseInputSchema.safeParse({
    title: "Bad",
    shortcut: "bad one",
    body: "Hi {{customer}}",
  });
  assert.equal(result.success, false);
  const messages = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  assert.ok(messages.some((m) => m.startsWith("shortcut:")));
  assert.ok(messages.some((m) => /^body: Unknown placeholder \{\{customer\}\}/.test(m)));
});

Deno.test("[admin] concurrent edits never leave two accounts on one email or two teams on one name", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    const agents = await Promise.all(
      Array.from({ length: 8 }, () => createAgent(kv, randomAgent(), ITER)),
    );
    const results = await Promise.allSettled(
      agents.map((a) => updateAgent(engine, a.id, { email: "wanted@example.test" }, actor)),
    );
    const winners = results.filter((r) => r.status === "fulfilled");
    assert.equal(winners.length, 1);
    for (const r of results) {
      if (r.status === "rejected") assert.equal((r.reason as AppError).code, "email_taken");
    }
    const owner = await getAgentByEmail(kv, "wanted@example.test");
    const holders = [];
    for (const a of agents) {
      const now = await getAgent(kv, a.id);
      if (now?.email === "wanted@example.test") holders.push(now.id);
      else assert.equal((await getAgentByEmail(kv, now!.email))?.id, a.id, "old index kept");
    }
    assert.deepEqual(holders, [owner!.id]);

    const teams = await Promise.allSettled(
      Array.from(
        { length: 8 },
        (_, i) => createTeam(engine, { name: i % 2 ? "Night" : "night" }, actor),
      ),
    );
    assert.equal(teams.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal((await listTeams(kv)).length, 1);
  } finally {
    kv.close();
  }
});

Deno.test("[admin] the audit log pages newest first and filters", async () => {
  const kv = await Deno.openKv(":memory:");
  const engine = new Engine(kv);
  try {
    for (let i = 0; i < 7; i++) await createTeam(engine, { name: `Team ${i}` }, actor);
    await createAgent(kv, randomAgent(), ITER, { id: "other", name: "Other Admin" });
    const first = await listAudit(kv, { targetType: "team", limit: 3 });
    assert.deepEqual(first.items.map((e) => e.targetLabel), ["Team 6", "Team 5", "Team 4"]);
    const second = await listAudit(kv, { targetType: "team", limit: 3, before: first.cursor! });
    assert.deepEqual(second.items.map((e) => e.targetLabel), ["Team 3", "Team 2", "Team 1"]);
    const third = await listAudit(kv, { targetType: "team", limit: 3, before: second.cursor! });
    assert.deepEqual(third.items.map((e) => e.targetLabel), ["Team 0"]);
    assert.equal(third.cursor, null);
    assert.deepEqual((await listAudit(kv, { actorId: "other" })).items.map((e) => e.action), [
      "agent.created",
    ]);
    assert.equal((await listAudit(kv, { q: "team 3" })).items.length, 1);
  } finally {
    kv.close();
  }
});
