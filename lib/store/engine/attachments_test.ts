import assert from "node:assert/strict";
import { cleanUpAttachment, storeAttachment } from "../attachments.ts";
import { keys } from "../keys.ts";
import { appendStaffMessage, setAgentStatus } from "./mod.ts";
import { customerSays, randomAgent, rejects, withKv } from "./test_util.ts";
import { receiveCustomerMessage } from "./customer.ts";
import type { Message } from "../../domain/engine_types.ts";

const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const fileStream = (bytes: Uint8Array) => new Blob([bytes as BlobPart]).stream();

async function uploaded(kv: Deno.Kv, owner: string, conversationId: string | null, size = 200_000) {
  const bytes = new Uint8Array(size);
  bytes.set(PNG_HEAD);
  return await storeAttachment(kv, fileStream(bytes), {
    filename: "photo.png",
    declaredType: "image/png",
    owner,
    conversationId,
    maxBytes: 10 * 1024 * 1024,
    scheduleCleanup: async () => {},
  });
}

async function chunkCount(kv: Deno.Kv, id: string): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: keys.attachmentChunksPrefix(id) })) n++;
  return n;
}

Deno.test("[attachments] a message and its files commit together; the orphan clean-up never takes a sent file", async () => {
  await withKv(async (kv, engine) => {
    const agent = await randomAgent(kv, "agent");
    await setAgentStatus(engine, agent.id, "online");
    const { conversation } = await customerSays(engine, "hi");
    assert.equal(conversation.assigneeId, agent.id);

    // Chunked: 200,000 bytes in 4 chunks under the 64 KiB value limit.
    const a = await uploaded(kv, `agent:${agent.id}`, conversation.id);
    assert.equal(a.chunks, 4);
    assert.equal(await chunkCount(kv, a.id), 4);

    // An upload nobody sent is cleaned: record and chunks.
    const orphan = await uploaded(kv, `agent:${agent.id}`, conversation.id);
    assert.equal(await cleanUpAttachment(kv, orphan.id), true);
    assert.equal((await kv.get(keys.attachment(orphan.id))).value, null);
    assert.equal(await chunkCount(kv, orphan.id), 0);
    // ...and a message naming it afterwards is refused: nothing stored.
    await rejects(
      appendStaffMessage(engine, conversation.id, agent, {
        text: "late",
        clientId: "late",
        attachments: [orphan.id],
      }),
      400,
      "attachment_unknown",
    );

    // Racing the clean-up against the message, many times: either the message is stored and its
    // file is whole, or the message is refused. Never a stored message whose file is gone.

    for (let i = 0; i < 20; i++) {
      const f = await uploaded(kv, `agent:${agent.id}`, conversation.id, 70_000);
      const [msg, cleaned] = await Promise.allSettled([
        appendStaffMessage(engine, conversation.id, agent, {
          text: `file ${i}`,
          clientId: `race-${i}`,
          attachments: [f.id],
        }),
        cleanUpAttachment(kv, f.id),
      ]);
      if (msg.status === "fulfilled") {
        const stored = (await kv.get<Message>(
          keys.message(conversation.id, msg.value.message.seq),
        )).value!;
        assert.equal(stored.attachments?.[0].id, f.id);
        const record = (await kv.get<{ messageId: string }>(keys.attachment(f.id))).value;
        assert.equal(record?.messageId, stored.id, "the file is kept for its message");
        assert.equal(await chunkCount(kv, f.id), 2);
        assert.equal(cleaned.status === "fulfilled" && cleaned.value, false);
      } else {
        assert.equal((msg.reason as { code?: string }).code, "attachment_unknown");
        assert.equal(await chunkCount(kv, f.id), 0);
      }
    }

    // The sent file: the later clean-up job leaves it alone.
    const { message } = await appendStaffMessage(engine, conversation.id, agent, {
      text: "",
      clientId: "photo",
      attachments: [a.id],
    });
    assert.deepEqual(message.attachments?.map((f) => f.id), [a.id]);
    assert.equal(await cleanUpAttachment(kv, a.id), false);
    assert.equal(await chunkCount(kv, a.id), 4);
  });
});

Deno.test("[attachments] a visitor's file opens their first conversation with it", async () => {
  await withKv(async (kv, engine) => {
    const visitor = crypto.randomUUID();
    const f = await uploaded(kv, `visitor:${visitor}`, null);
    const other = await uploaded(kv, `visitor:someone-else`, null);
    await rejects(
      receiveCustomerMessage(engine, {
        channel: "webchat",
        contact: { webVisitorId: visitor },
        clientId: "m0",
        text: "",
        attachments: [other.id],
      }),
      400,
      "attachment_unknown",
    );
    const r = await receiveCustomerMessage(engine, {
      channel: "webchat",
      contact: { webVisitorId: visitor },
      clientId: "m1",
      text: "",
      attachments: [f.id],
    });
    assert.equal(r.created, true);
    assert.equal(r.message.attachments?.[0].filename, "photo.png");
    assert.equal(r.conversation.lastMessage?.text, "📎 photo.png");
    const record = (await kv.get<{ conversationId: string; messageId: string }>(
      keys.attachment(f.id),
    )).value;
    assert.equal(record?.conversationId, r.conversation.id);
    assert.equal(record?.messageId, r.message.id);
    // Empty text without files is still refused.
    await rejects(
      receiveCustomerMessage(engine, {
        channel: "webchat",
        contact: { webVisitorId: visitor },
        clientId: "m2",
        text: " ",
      }),
      400,
      "invalid",
    );
  });
});
