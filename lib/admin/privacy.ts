/**
 * Privacy requests from the admin console (issue 16, item 6): find a
 * contact, export everything held about them, erase them. The engine owns the
 * data rules (lib/store/engine/contact_data.ts); this module adds the search,
 * the erase confirmation and the audit entries (an export is audited too: it
 * hands personal data out).
 */
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import type { Contact } from "../domain/engine_types.ts";
import { type Actor, recordAudit } from "../store/audit.ts";
import {
  type ContactExport,
  eraseContact,
  exportContactData,
} from "../store/engine/contact_data.ts";
import { keys } from "../store/keys.ts";

/** The word an admin types to confirm an erasure (the form and the API alike). */
export const ERASE_WORD = "ERASE";

export const eraseRequestSchema = z.object({
  confirm: z.string().refine((v) => v.trim() === ERASE_WORD, {
    message: `Type ${ERASE_WORD} to confirm: erasing cannot be undone.`,
  }),
}).strict();

export const contactSearchSchema = z.object({
  q: z.string().trim().min(1, "Enter a name, email, phone, WhatsApp number or contact id")
    .max(200),
});

/** How a contact is named in lists and the audit log. */
export function contactLabel(
  c: Contact,
  visitor: (shortId: string) => string = (id) => `Visitor ${id}`,
): string {
  return c.name || c.email || c.phone || c.whatsappId || visitor(c.id.slice(-4));
}

const SCAN_LIMIT = 20_000;

/**
 * Contacts matching `q`: an exact contact id, web visitor id or WhatsApp id
 * first, then names, emails and phones containing it (case-blind; at most 20,
 * scanning at most 20,000 contacts). Merged-away contacts are left out.
 */
export async function findContacts(kv: Deno.Kv, q: string): Promise<Contact[]> {
  const needle = q.trim().toLowerCase();
  const found = new Map<string, Contact>();
  const add = (c: Contact | null) => {
    if (c && !c.mergedInto && found.size < 20) found.set(c.id, c);
  };
  add((await kv.get<Contact>(keys.contact(q.trim()))).value);
  for (const ch of ["webchat", "whatsapp"]) {
    const id = (await kv.get<string>(keys.contactByChannel(ch, q.trim().replace(/^\+/, "")))).value;
    if (id) add((await kv.get<Contact>(keys.contact(id))).value);
  }
  let scanned = 0;
  for await (const e of kv.list<Contact>({ prefix: ["contacts"] }, { batchSize: 500 })) {
    if (found.size >= 20 || ++scanned > SCAN_LIMIT) break;
    const c = e.value;
    const text = [c.name, c.email, c.phone, c.whatsappId].filter(Boolean).join(" ").toLowerCase();
    if (text.includes(needle)) add(c);
  }
  return [...found.values()];
}

/** The export document, audited as `contact.exported`. */
export async function adminExportContact(
  deps: AppDeps,
  actor: Actor,
  contactId: string,
): Promise<ContactExport> {
  const data = await exportContactData(deps.kv, contactId);
  await recordAudit(deps.kv, {
    actorId: actor.id,
    actorName: actor.name,
    action: "contact.exported",
    targetType: "contact",
    targetId: contactId,
    targetLabel: contactLabel(data.contact),
    details: { conversations: data.conversations.length },
  });
  return data;
}

/** Erases a contact, audited as `contact.erased` (the label is the id: the name is gone). */
export async function adminEraseContact(
  deps: AppDeps,
  actor: Actor,
  contactId: string,
): Promise<{ conversations: number }> {
  const { conversations } = await eraseContact(deps.engine, contactId);
  await recordAudit(deps.kv, {
    actorId: actor.id,
    actorName: actor.name,
    action: "contact.erased",
    targetType: "contact",
    targetId: contactId,
    targetLabel: `Contact ${contactId}`,
    details: { conversations },
  });
  return { conversations };
}
