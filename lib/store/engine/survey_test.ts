/**
 * The satisfaction survey in the engine: what a close offers, the one answer
 * per conversation (racing duplicates from two instances: exactly one
 * stored), refusals that change nothing (forged, late, out of range), and an
 * answer racing the customer's next message, which starts a new conversation
 * (Parley's reopen): the answer lands only if it came first.
 */
import assert from "node:assert/strict";
import { AppError } from "../../errors.ts";
import { keys } from "../keys.ts";
import type { Conversation } from "../../domain/engine_types.ts";
import { closeConversation, pickupConversation, setAgentStatus, updateSettings } from "./mod.ts";
import { listMessagesForCustomer, listMessagesForStaff } from "./messages.ts";
import { readMetrics, totalOf } from "./metrics_read.ts";
import { addSurveyScore, answerSurvey } from "./survey.ts";
import { Engine } from "./engine.ts";
import { allChanges, customerSays, randomAgent, rejects, withKv } from "./test_util.ts";

/** A web chat picked up by an agent and closed; returns it and its visitor. */
async function closedChat(engine: Engine, visitor = `visitor-${crypto.randomUUID()}`) {
  const agent = await randomAgent(engine.kv);
  await setAgentStatus(engine, agent.id, "online");
  const { conversation } = await customerSays(engine, "Hello", visitor);
  await pickupConversation(engine, conversation.id, agent).catch(() => {}); // maybe auto-assigned
  const closed = await closeConversation(engine, conversation.id, agent, { notes: "helped" });
  return { conv: closed, visitor, agent, who: { contactId: closed.contactId } };
}

const stored = async (kv: Deno.Kv, id: string) =>
  (await kv.get<Conversation>(keys.conversation(id))).value!;

async function csatCounts(kv: Deno.Kv) {
  const now = Date.now();
  return totalOf(await readMetrics(kv, "all", "d", now - 2 * 86_400_000, now + 1)).counters;
}

Deno.test("[survey] off by default: a close offers nothing and an answer is refused", async () => {
  await withKv(async (kv, engine) => {
    const { conv, who } = await closedChat(engine);
    assert.equal(conv.survey, null);
    await rejects(answerSurvey(engine, conv.id, who, { rating: "ok" }), 409, "no_survey");
    assert.equal((await stored(kv, conv.id)).csat, null);
  });
});

Deno.test("[survey] a close offers what the settings say then; the one answer is stored, logged, counted and announced", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { surveyMode: "csat_nps", surveyComment: true });
    const { conv, who, agent } = await closedChat(engine);
    assert.equal(conv.survey?.mode, "csat_nps");
    assert.equal(conv.survey?.comment, true);
    const closedEvent = (await listMessagesForCustomer(kv, conv.id)).find((m) =>
      m.kind === "closed"
    );
    assert.deepEqual(closedEvent?.data, { survey: { mode: "csat_nps", comment: true } });
    // A later change of the settings does not change what this close offered.
    await updateSettings(engine, { surveyMode: "off" });

    const answered = await answerSurvey(engine, conv.id, who, {
      rating: "ok",
      nps: 9,
      comment: "  Quick and kind  ",
    });
    assert.equal(answered.csat?.rating, "ok");
    assert.equal(answered.csat?.nps, 9);
    assert.equal(answered.csat?.comment, "Quick and kind");
    assert.deepEqual((await stored(kv, conv.id)).csat, answered.csat);

    const log = await listMessagesForStaff(kv, conv.id);
    const entry = log.find((m) => m.kind === "survey_answered");
    assert.ok(entry, "the answer is in the history");
    assert.match(entry.text, /Good \(OK\).*9\/10.*Quick and kind/);
    assert.equal(entry.visibility, "public");

    const changes = (await allChanges(kv)).filter((c) => c.type === "csat.received");
    assert.equal(changes.length, 1);
    assert.equal(changes[0].agentId, agent.id);
    assert.equal(changes[0].data?.rating, 5, "the webhook's 1–5 rating: OK is 5");
    assert.equal(changes[0].data?.csat, "ok");
    assert.equal(changes[0].data?.nps, 9);

    const counts = await csatCounts(kv);
    assert.equal(counts.csat_ok, 1);
    assert.equal(counts.nps_count, 1);
    assert.equal(counts.nps_sum, 9);
    assert.equal(counts.nps_promoters, 1);
    const mine = totalOf(
      await readMetrics(kv, `agent:${agent.id}`, "h", Date.now() - 3_600_000, Date.now() + 1),
    );
    assert.equal(mine.counters.csat_ok, 1, "counted for the agent who held the chat");

    // A second answer changes nothing.
    await rejects(answerSurvey(engine, conv.id, who, { rating: "ko" }), 409, "survey_answered");
    assert.deepEqual((await stored(kv, conv.id)).csat, answered.csat);
    assert.equal((await csatCounts(kv)).csat_ko, 0);
  });
});

Deno.test("[survey] forged, out-of-range, early and late answers are refused and change nothing", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { surveyMode: "csat", surveyComment: false, surveyWindowDays: 1 });
    const { conv, who } = await closedChat(engine);
    const before = await stored(kv, conv.id);
    const other = await closedChat(engine);
    // Another visitor's conversation, and an unknown one: the same 404.
    await rejects(answerSurvey(engine, conv.id, other.who, { rating: "ok" }), 404, "not_found");
    await rejects(answerSurvey(engine, "nope", who, { rating: "ok" }), 404, "not_found");
    // What this survey does not take.
    await rejects(answerSurvey(engine, conv.id, who, { rating: "ok", nps: 7 }), 400, "invalid");
    await rejects(
      answerSurvey(engine, conv.id, who, { rating: "ok", comment: "hi" }),
      400,
      "invalid",
    );
    await rejects(
      answerSurvey(engine, conv.id, who, { rating: "meh" as "ok" }),
      400,
      "invalid",
    );
    await rejects(addSurveyScore(engine, conv.id, who, 5), 409, "no_survey");
    // An open conversation has no survey yet.
    const open = await customerSays(engine, "still here");
    await rejects(
      answerSurvey(engine, open.conversation.id, { contactId: open.contact.id }, { rating: "ok" }),
      409,
      "no_survey",
    );
    assert.deepEqual(await stored(kv, conv.id), before);

    // Past the window (one day after the close): refused.
    const realNow = Date.now;
    Date.now = () => realNow() + 86_400_000 + 1000;
    try {
      await rejects(answerSurvey(engine, conv.id, who, { rating: "ok" }), 409, "survey_closed");
    } finally {
      Date.now = realNow;
    }
    assert.deepEqual(await stored(kv, conv.id), before);
    const counts = await csatCounts(kv);
    assert.equal(counts.csat_ok + counts.csat_ko, 0);
    assert.equal((await allChanges(kv)).filter((c) => c.type === "csat.received").length, 0);
  });
});

Deno.test("[survey] a score out of range, or given twice, in the second step is refused", async () => {
  await withKv(async (kv, engine) => {
    await updateSettings(engine, { surveyMode: "csat_nps" });
    const { conv, who } = await closedChat(engine);
    await answerSurvey(engine, conv.id, who, { rating: "ko" });
    await rejects(addSurveyScore(engine, conv.id, who, 11), 400, "invalid");
    await rejects(addSurveyScore(engine, conv.id, who, 2.5), 400, "invalid");
    const scored = await addSurveyScore(engine, conv.id, who, 3);
    assert.equal(scored.csat?.nps, 3);
    await rejects(addSurveyScore(engine, conv.id, who, 10), 409, "survey_answered");
    assert.equal((await stored(kv, conv.id)).csat?.nps, 3);
    const counts = await csatCounts(kv);
    assert.equal(counts.csat_ko, 1);
    assert.equal(counts.nps_detractors, 1);
    assert.equal(counts.nps_count, 1);
  });
});

Deno.test("[survey] racing duplicate answers from two instances: exactly one is stored", async () => {
  await withKv(async (kv, engine) => {
    const other = new Engine(kv);
    await updateSettings(engine, { surveyMode: "csat_nps" });
    for (let round = 0; round < 5; round++) {
      const { conv, who } = await closedChat(engine);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          answerSurvey(i % 2 ? other : engine, conv.id, who, {
            rating: i % 3 ? "ok" : "ko",
            nps: i,
          })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      assert.equal(won.length, 1, "exactly one answer lands");
      for (const r of results) {
        if (r.status === "rejected") {
          assert.ok(r.reason instanceof AppError && r.reason.code === "survey_answered");
        }
      }
      const kept = (won[0] as PromiseFulfilledResult<Conversation>).value.csat;
      assert.deepEqual((await stored(kv, conv.id)).csat, kept);
      const events = (await listMessagesForStaff(kv, conv.id)).filter((m) =>
        m.kind === "survey_answered"
      );
      assert.equal(events.length, 1, "one entry in the history");
    }
    const counts = await csatCounts(kv);
    assert.equal(counts.csat_ok + counts.csat_ko, 5, "each conversation counted once");
    assert.equal(counts.nps_count, 5);
    assert.equal((await allChanges(kv)).filter((c) => c.type === "csat.received").length, 5);
  });
});

Deno.test("[survey] an answer racing the customer's next message (a new conversation): it lands only if it came first", async () => {
  await withKv(async (kv, engine) => {
    const other = new Engine(kv);
    await updateSettings(engine, { surveyMode: "csat" });
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const { conv, who, visitor } = await closedChat(engine);
      const answer = round % 2 ? other : engine;
      const [answered, next] = await Promise.allSettled([
        answerSurvey(answer, conv.id, who, { rating: "ok" }),
        customerSays(round % 2 ? engine : other, "one more thing", visitor),
      ]);
      assert.equal(next.status, "fulfilled", "the customer's message always goes");
      const newer = (next as PromiseFulfilledResult<Awaited<ReturnType<typeof customerSays>>>)
        .value.conversation;
      assert.notEqual(newer.id, conv.id, "a new conversation opened");
      const csat = (await stored(kv, conv.id)).csat;
      if (answered.status === "fulfilled") {
        outcomes.add("answered first");
        assert.equal(csat?.rating, "ok");
        // The answer committed before the new conversation: the change log says so, in order.
        const changes = await allChanges(kv);
        const answeredAt = changes.findIndex((c) =>
          c.type === "csat.received" && c.conversationId === conv.id
        );
        const openedAt = changes.findIndex((c) =>
          c.type === "conversation.created" && c.conversationId === newer.id
        );
        assert.ok(answeredAt >= 0 && openedAt > answeredAt, `${answeredAt} < ${openedAt}`);
      } else {
        outcomes.add("refused after");
        assert.ok(
          answered.reason instanceof AppError && answered.reason.code === "survey_closed",
          String(answered.reason),
        );
        assert.equal(csat, null, "nothing stored");
      }
      // Afterwards, the old survey is closed either way.
      await rejects(
        answerSurvey(engine, conv.id, who, { rating: "ko" }),
        409,
        csat ? "survey_answered" : "survey_closed",
      );
    }
    assert.ok(outcomes.size >= 1);
  });
});
