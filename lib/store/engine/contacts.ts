/**
 * Merging two contacts that are one person (e.g. the same customer on the web
 * widget and on WhatsApp), so history runs across channels (rule 8). Staff
 * decide it (supervisors and admins); nothing merges by itself, since what a
 * visitor types about itself is not proof.
 *
 * Step 1, one atomic op: the merged contact's channel ids and open
 * conversations now point at the kept contact; the merged contact becomes a
 * tombstone (`mergedInto`). New traffic goes to the kept contact at once.
 * Step 2, batches: each of its conversations moves (record and history index).
 * Calling it again with the same pair finishes an interrupted merge.
 */
import type { Agent } from "../agents.ts";
import type { Channel, Contact, Conversation } from "../../domain/engine_types.ts";
import { CHANNELS } from "../../domain/engine_types.ts";
import { isSupervisor } from "../../domain/permissions.ts";
import { badRequest, conflict, forbidden, notFound } from "../../errors.ts";
import { keys } from "../keys.ts";
import { getManyEntries } from "./records.ts";
import { mutate } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";
import { indexContact } from "./search_index.ts";

const MOVE_BATCH = 10;

/**
 * Merges contact `mergeId` into `keepId`; returns the kept contact and how
 * many conversations moved. 403 for agents, 404 unknown, 400 same contact,
 * 409 when both have an open chat on one channel (close one first) or the
 * merged contact was merged elsewhere.
 */
export async function mergeContacts(
  engine: Engine,
  actor: Agent,
  keepId: string,
  mergeId: string,
): Promise<{ contact: Contact; moved: number }> {
  const { kv } = engine;
  if (!isSupervisor(actor.role)) throw forbidden("Only supervisors and admins merge contacts.");
  if (keepId === mergeId) throw badRequest("same_contact", "A contact cannot merge into itself.");
  const kept = await mutate(engine, async () => {
    const [keepEntry, mergeEntry] = await kv.getMany<[Contact, Contact]>([
      keys.contact(keepId),
      keys.contact(mergeId),
    ]);
    const keep = keepEntry.value;
    const merge = mergeEntry.value;
    if (!keep || !merge || keep.mergedInto) throw notFound("Contact");
    if (merge.mergedInto === keepId) return { value: keep }; // step 1 done before
    if (merge.mergedInto) {
      throw conflict("already_merged", "That contact was merged into another one.");
    }
    const opens = await kv.getMany<string[]>([
      ...CHANNELS.map((ch) => keys.contactOpen(keepId, ch)),
      ...CHANNELS.map((ch) => keys.contactOpen(mergeId, ch)),
    ]);
    const openConvs = await getManyEntries<Conversation>(
      kv,
      opens.map((e) => keys.conversation(e.value ?? "none")),
    );
    const isOpen = (i: number) => openConvs[i].value && openConvs[i].value!.status !== "closed";
    const at = new Date().toISOString();
    const next: Contact = {
      ...keep,
      name: keep.name ?? merge.name,
      email: keep.email ?? merge.email,
      phone: keep.phone ?? merge.phone,
      webVisitorId: keep.webVisitorId ?? merge.webVisitorId,
      whatsappId: keep.whatsappId ?? merge.whatsappId,
      mergedFrom: [...new Set([...(keep.mergedFrom ?? []), mergeId, ...(merge.mergedFrom ?? [])])],
      updatedAt: at,
    };
    const op = new EngineOp().check(keepEntry).check(mergeEntry);
    CHANNELS.forEach((ch: Channel, i) => {
      const mine = isOpen(i);
      const theirs = isOpen(CHANNELS.length + i);
      if (mine && theirs) {
        throw conflict(
          "both_open",
          `Both contacts have an open ${ch} conversation; close one first.`,
        );
      }
      op.check(opens[i]).check(opens[CHANNELS.length + i]);
      if (theirs) op.set(keys.contactOpen(keepId, ch), opens[CHANNELS.length + i].value!);
      op.delete(keys.contactOpen(mergeId, ch));
    });
    // Every channel id that found the merged contact now finds the kept one.
    for (const [ch, id] of [["webchat", merge.webVisitorId], ["whatsapp", merge.whatsappId]]) {
      if (id) op.set(keys.contactByChannel(ch as Channel, id), keepId);
    }
    for (const formerId of merge.mergedFrom ?? []) {
      const former = (await kv.get<Contact>(keys.contact(formerId))).value;
      if (former?.webVisitorId) {
        op.set(keys.contactByChannel("webchat", former.webVisitorId), keepId);
      }
      if (former?.whatsappId) op.set(keys.contactByChannel("whatsapp", former.whatsappId), keepId);
      if (former) op.set(keys.contact(formerId), { ...former, mergedInto: keepId });
    }
    op.set(keys.contact(keepId), next);
    op.set(keys.contact(mergeId), { ...merge, mergedInto: keepId, updatedAt: at });
    return {
      op,
      value: next,
      changes: [{ type: "contact.merged", data: { contactId: keepId, mergedId: mergeId } }],
    };
  });
  let moved = 0;
  for (;;) {
    const n = await moveBatch(engine, kept, mergeId);
    if (n === 0) break;
    moved += n;
  }
  return { contact: kept, moved };
}

/**
 * Moves up to MOVE_BATCH conversations of `mergeId` to `kept`; returns how
 * many. A moved conversation becomes findable by the kept contact's details.
 */
async function moveBatch(engine: Engine, kept: Contact, mergeId: string): Promise<number> {
  const { kv } = engine;
  const keepId = kept.id;
  return await mutate(engine, async () => {
    const ids: string[] = [];
    for await (
      const e of kv.list({ prefix: keys.contactConversationsPrefix(mergeId) }, {
        limit: MOVE_BATCH,
      })
    ) ids.push(e.key[2] as string);
    if (ids.length === 0) return { value: 0 };
    const entries = await getManyEntries<Conversation>(kv, ids.map(keys.conversation));
    const op = new EngineOp();
    const changes = [];
    for (const [i, entry] of entries.entries()) {
      op.delete(keys.contactConversation(mergeId, ids[i]));
      if (!entry.value) continue;
      op.check(entry);
      op.set(entry.key, { ...entry.value, contactId: keepId });
      op.set(keys.contactConversation(keepId, ids[i]), entry.value.channel);
      indexContact(op, kept, ids[i]);
      changes.push({
        type: "contact.updated",
        conversationId: ids[i],
        ...(entry.value.status === "active" && entry.value.assigneeId
          ? { agentId: entry.value.assigneeId }
          : {}),
        data: { contactId: keepId, mergedId: mergeId },
      });
    }
    return { op, changes, value: ids.length };
  });
}
