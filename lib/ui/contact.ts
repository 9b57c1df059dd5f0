/**
 * The workspace's contact profile (the "Contact" panel): its view shape and
 * the staff API calls behind it (docs/api.md, "Contacts").
 */
import { api, refreshLists, reloadOpen } from "./actions.ts";
import type { WorkspaceStore } from "./state.ts";
import type { Contact } from "../domain/engine_types.ts";
import type { ContactProfile } from "../store/engine/mod.ts";

export interface UiContactProfile {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  channels: string[];
  firstSeenAt: string;
  conversationCount: number;
  conversationCountCapped: boolean;
}

function toUiContactProfile(raw: ContactProfile): UiContactProfile {
  const c = raw.contact;
  return {
    id: c.id,
    name: c.name || null,
    email: c.email || null,
    phone: c.phone || null,
    channels: raw.channels,
    firstSeenAt: raw.firstSeenAt,
    conversationCount: raw.conversationCount,
    conversationCountCapped: raw.conversationCountCapped,
  };
}

export async function loadContactProfile(conversationId: string): Promise<UiContactProfile> {
  return toUiContactProfile(
    await api<ContactProfile>(
      "GET",
      `/api/v1/conversations/${encodeURIComponent(conversationId)}/contact`,
    ),
  );
}

/** Saves a corrected name and email (blank clears the email; a name is required). */
export async function saveContactDetails(
  conversationId: string,
  name: string,
  email: string,
): Promise<{ name: string | null; email: string | null }> {
  const res = await api<{ contact: Contact }>(
    "PUT",
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/contact`,
    { name: name.trim(), email: email.trim() === "" ? null : email.trim() },
  );
  return { name: res.contact.name, email: res.contact.email };
}

/** Merges contact `mergeId` into `keepId`; the lists and the open chat reload. */
export async function mergeContactInto(
  store: WorkspaceStore,
  keepId: string,
  mergeId: string,
): Promise<number> {
  const res = await api<{ contact: Contact; moved: number }>(
    "POST",
    `/api/v1/contacts/${encodeURIComponent(keepId)}/merge`,
    {
      contactId: mergeId,
    },
  );
  await Promise.all([refreshLists(store), reloadOpen(store)]);
  return res.moved;
}
