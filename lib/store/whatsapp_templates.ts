/**
 * The WhatsApp Business Account's message templates, cached in KV: one entry
 * per template and language (a value stays far below KV's 64 KiB, however
 * many templates there are), plus when they were last fetched and whether
 * that worked. Replaced as a whole on refresh (lib/channels/whatsapp_templates.ts).
 *
 *   ["whatsapp_templates", name, language] -> WhatsAppTemplate
 *   ["whatsapp_templates_state"]           -> TemplatesState
 */
import type { WhatsAppTemplate } from "../domain/whatsapp_templates.ts";
import { keys } from "./keys.ts";

/** How the cache was last refreshed. */
export interface TemplatesState {
  /** The last successful fetch; null before any. */
  fetchedAt: string | null;
  /** The WABA the cached templates came from. */
  businessAccountId: string | null;
  /** The last refresh's failure, if it failed (the cache then keeps the previous list). */
  error: string | null;
  attemptedAt: string | null;
}

const NEVER: TemplatesState = {
  fetchedAt: null,
  businessAccountId: null,
  error: null,
  attemptedAt: null,
};

/** Every cached template, by name then language. */
export async function listCachedTemplates(kv: Deno.Kv): Promise<WhatsAppTemplate[]> {
  const out: WhatsAppTemplate[] = [];
  for await (const e of kv.list<WhatsAppTemplate>({ prefix: keys.whatsappTemplatesPrefix() })) {
    out.push(e.value);
  }
  return out;
}

/** One cached template, or null. */
export async function getCachedTemplate(
  kv: Deno.Kv,
  name: string,
  language: string,
): Promise<WhatsAppTemplate | null> {
  return (await kv.get<WhatsAppTemplate>(keys.whatsappTemplate(name, language))).value;
}

export async function getTemplatesState(kv: Deno.Kv): Promise<TemplatesState> {
  return (await kv.get<TemplatesState>(keys.whatsappTemplatesState())).value ?? NEVER;
}

/** Replaces the cache with `templates` (writes in batches; gone ones are deleted last). */
export async function replaceCachedTemplates(
  kv: Deno.Kv,
  businessAccountId: string,
  templates: WhatsAppTemplate[],
): Promise<void> {
  const keep = new Set(
    templates.map((t) => JSON.stringify(keys.whatsappTemplate(t.name, t.language))),
  );
  for (let i = 0; i < templates.length; i += 20) {
    const op = kv.atomic();
    for (const t of templates.slice(i, i + 20)) {
      op.set(keys.whatsappTemplate(t.name, t.language), t);
    }
    await op.commit();
  }
  const gone: Deno.KvKey[] = [];
  for await (const e of kv.list({ prefix: keys.whatsappTemplatesPrefix() })) {
    if (!keep.has(JSON.stringify(e.key))) gone.push(e.key);
  }
  for (let i = 0; i < gone.length; i += 100) {
    const op = kv.atomic();
    for (const key of gone.slice(i, i + 100)) op.delete(key);
    await op.commit();
  }
  const at = new Date().toISOString();
  await kv.set(
    keys.whatsappTemplatesState(),
    {
      fetchedAt: at,
      businessAccountId,
      error: null,
      attemptedAt: at,
    } satisfies TemplatesState,
  );
}

/** Notes a failed refresh; the cached templates stay as they were. */
export async function noteTemplatesFailure(kv: Deno.Kv, error: string): Promise<void> {
  const state = await getTemplatesState(kv);
  await kv.set(
    keys.whatsappTemplatesState(),
    {
      ...state,
      error,
      attemptedAt: new Date().toISOString(),
    } satisfies TemplatesState,
  );
}
