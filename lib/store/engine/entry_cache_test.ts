/**
 * The engine builds on entries it remembers (entry_cache.ts) only because the
 * commit checks them: these tests change the records through a second KV
 * handle (another instance, whose writes this process has not seen) and
 * expect the first handle's next commit to decide on the records as they are.
 */
import assert from "node:assert/strict";
import { readHead } from "../changes.ts";
import { Engine } from "./engine.ts";
import {
  appendStaffMessage,
  closeConversation,
  getConversation,
  listMessagesForStaff,
  setAgentStatus,
  transferConversation,
} from "./mod.ts";
import { customerSays, randomAgent, rejects } from "./test_util.ts";

/** Two instances on one KV file: each its own handle and engine object. */
async function twoInstances(fn: (a: Engine, b: Engine) => Promise<void>) {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const a = await Deno.openKv(path);
  const b = await Deno.openKv(path);
  try {
    await fn(new Engine(a), new Engine(b));
  } finally {
    a.close();
    b.close();
    await Deno.remove(path).catch(() => {});
  }
}

/**
 * `kv`'s hub heard the other instance's head through its watch before reading
 * the records the change is about: then only the records' own checks stand
 * between a remembered entry and a wrong commit.
 */
async function hearHead(engine: Engine) {
  engine.changes.learnHead(await readHead(engine.kv));
}

/** The visitor's message `clientId`, with the text "text <clientId>". */
const says = (engine: Engine, visitor: string, clientId: string) =>
  customerSays(engine, `text ${clientId}`, visitor, { clientId });

Deno.test("[engine] a chat closed by another instance: the next message opens a new one, not the closed one", async () => {
  await twoInstances(async (a, b) => {
    const boss = await randomAgent(a.kv, "supervisor");
    const first = await says(a, "v-closed", "m1");
    await says(a, "v-closed", "m2"); // a remembers the open chat
    await closeConversation(b, first.conversation.id, boss, { notes: "done" });
    await hearHead(a);
    const next = await says(a, "v-closed", "m3");
    assert.notEqual(next.conversation.id, first.conversation.id);
    assert.equal(next.created, true);
    const closed = await getConversation(a.kv, first.conversation.id);
    assert.equal(closed?.status, "closed");
    assert.equal(closed?.lastMessage?.text, "text m2", "nothing was added after the close");
  });
});

Deno.test("[engine] transfers by another instance: the old assignee is refused, the new one may write at once", async () => {
  await twoInstances(async (a, b) => {
    const ann = await randomAgent(a.kv);
    const bob = await randomAgent(a.kv);
    const boss = await randomAgent(a.kv, "supervisor");
    await setAgentStatus(a, ann.id, "online");
    await setAgentStatus(a, bob.id, "online");
    const chat = await says(a, "v-moved", "m1");
    const id = chat.conversation.id;
    const holder = (await getConversation(a.kv, id))!.assigneeId!;
    const [first, second] = holder === ann.id ? [ann, bob] : [bob, ann];
    await appendStaffMessage(a, id, first, { text: "Hi", clientId: "r1" });

    // a remembers `first` as the assignee; the chat moves to `second` on b.
    await transferConversation(b, id, boss, { toAgentId: second.id });
    await hearHead(a);
    await rejects(
      appendStaffMessage(a, id, first, { text: "Me again", clientId: "r2" }),
      403,
      "not_your_chat",
    );
    // a now remembers `second`; the chat moves back to `first` on b.
    await transferConversation(b, id, boss, { toAgentId: first.id });
    await hearHead(a);
    await appendStaffMessage(a, id, first, { text: "Back again", clientId: "r3" });

    const log = await listMessagesForStaff(a.kv, id, 0, 100);
    const texts = log.filter((m) => m.type === "message").map((m) => m.text);
    assert.deepEqual(texts, ["text m1", "Hi", "Back again"]);
    // Seqs stay unique and in order whichever instance wrote them.
    assert.deepEqual(log.map((m) => m.seq), log.map((_, i) => i + 1));
  });
});
