/**
 * Web widget sites (keys in ./keys.ts): which websites may embed the chat
 * widget, and how it looks there.
 *
 * A site has a public `siteKey` (put in the embed snippet; not a secret), the
 * origins allowed to talk to the visitor API, an optional team, a colour and a
 * greeting. A fresh install has the default site (`siteKey: "default"`), used
 * when the widget gives no site key; it accepts only Parley's own origin (the
 * `/demo` page) until an admin adds origins. Parley's own origin is accepted
 * for every site, so an admin can preview any site's widget. "Any origin" is
 * only ever the explicit `allowAnyOrigin: true`.
 *
 * The admin console builds its forms and API on {@link siteInputSchema},
 * {@link createSite}, {@link updateSite}, {@link deleteSite}, {@link listSites}.
 *
 * @example
 * const site = await resolveSite(kv, body.siteKey);          // null: unknown key
 * const verdict = checkOrigin(site, req.headers.get("origin"), "https://parley.example");
 * if (!verdict.ok) throw forbidden(verdict.reason);
 */
import { z } from "zod";
import { AppError, conflict, notFound } from "../errors.ts";
import { newId, randomToken } from "../ids.ts";
import { readHead, retryCommit, withChanges } from "./changes.ts";
import type { Engine } from "./engine/engine.ts";
import { keys } from "./keys.ts";

export const DEFAULT_SITE_KEY = "default";
export const DEFAULT_SITE_ID = "default";

export interface Site {
  id: string;
  /** Public identifier used by the embed snippet (`data-site-key`). */
  siteKey: string;
  name: string;
  /** Normalised origins (`scheme://host[:port]`) allowed to use the visitor API. */
  allowedOrigins: string[];
  /** Accept any origin. Off unless an admin sets it explicitly. */
  allowAnyOrigin: boolean;
  /** Conversations from this site go to this team's queue, when set. */
  teamId: string | null;
  /** Accent colour of the launcher and header, `#rrggbb`. */
  colour: string;
  /** First line the visitor sees in an empty chat. */
  greeting: string;
  /** Ask for name and email before the first message (absent on sites saved before it). */
  preChatForm?: boolean;
  createdAt: string;
  updatedAt: string;
}

/** `https://Example.com:443/path` → `https://example.com`; null when not an http(s) origin. */
export function normaliseOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password) return null;
  return url.origin;
}

const originSchema = z.string().trim().max(300).transform((value, ctx) => {
  const origin = normaliseOrigin(value);
  if (!origin) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not an origin like https://shop.example`,
    });
    return z.NEVER;
  }
  return origin;
});

/** What an admin may set on a site (create: all but `name` optional; update: all optional). */
export const siteInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  allowedOrigins: z.array(originSchema).max(50, "At most 50 origins").default([]),
  allowAnyOrigin: z.boolean().default(false),
  teamId: z.string().min(1).max(100).nullable().default(null),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Colour must look like #1f6feb").default(
    "#1f6feb",
  ),
  greeting: z.string().trim().max(300).default("Hi! How can we help you today?"),
  /** Ask for name and email before the first message (the widget's pre-chat form). */
  preChatForm: z.boolean().default(false),
});
export type SiteInput = z.input<typeof siteInputSchema>;
export const siteUpdateSchema = siteInputSchema.partial();
export type SiteUpdate = z.input<typeof siteUpdateSchema>;

/** What the widget may learn about its site (no origins, no team). */
export interface PublicSite {
  siteKey: string;
  name: string;
  colour: string;
  greeting: string;
  /** The widget asks for name and email before the first message. */
  preChatForm: boolean;
}

export function publicSite(site: Site): PublicSite {
  return {
    siteKey: site.siteKey,
    name: site.name,
    colour: site.colour,
    greeting: site.greeting,
    preChatForm: site.preChatForm ?? false,
  };
}

function defaultSite(): Site {
  const now = new Date().toISOString();
  return {
    id: DEFAULT_SITE_ID,
    siteKey: DEFAULT_SITE_KEY,
    name: "Support chat", // shown to visitors as the chat title; the site key "default" marks it
    allowedOrigins: [],
    allowAnyOrigin: false,
    teamId: null,
    colour: "#1f6feb",
    greeting: "Hi! How can we help you today?",
    createdAt: now,
    updatedAt: now,
  };
}

/** Creates the default site when it does not exist yet (idempotent, race-safe). */
export async function ensureDefaultSite(kv: Deno.Kv): Promise<Site> {
  const existing = await getSite(kv, DEFAULT_SITE_ID);
  if (existing) return existing;
  const site = defaultSite();
  await kv.atomic()
    .check({ key: keys.site(site.id), versionstamp: null })
    .check({ key: keys.siteByKey(site.siteKey), versionstamp: null })
    .set(keys.site(site.id), site)
    .set(keys.siteByKey(site.siteKey), site.id)
    .commit();
  return (await getSite(kv, DEFAULT_SITE_ID)) ?? site;
}

export async function getSite(kv: Deno.Kv, id: string): Promise<Site | null> {
  return (await kv.get<Site>(keys.site(id))).value;
}

export async function getSiteByKey(kv: Deno.Kv, siteKey: string): Promise<Site | null> {
  if (siteKey === DEFAULT_SITE_KEY) return await ensureDefaultSite(kv);
  // Keys are short and url-safe; anything else cannot exist (and must not reach a KV key).
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(siteKey)) return null;
  const id = (await kv.get<string>(keys.siteByKey(siteKey))).value;
  return id ? await getSite(kv, id) : null;
}

/** The site for a widget request: the default site without a key, null for an unknown key. */
export async function resolveSite(kv: Deno.Kv, siteKey?: string | null): Promise<Site | null> {
  return await getSiteByKey(kv, siteKey || DEFAULT_SITE_KEY);
}

/** Every site, the default one included, oldest first. */
export async function listSites(kv: Deno.Kv): Promise<Site[]> {
  await ensureDefaultSite(kv);
  const sites: Site[] = [];
  for await (const entry of kv.list<Site>({ prefix: keys.sitesPrefix() })) sites.push(entry.value);
  return sites.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The form of a name two sites may not share: trimmed, spaces collapsed, case folded. */
export function siteNameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Refuses a name another site already has (409 `duplicate_name`, with the
 * reason on the name field). Sites are few, so every one is read; the name
 * index key the commit checks makes two racing saves of one name lose once
 * and see the other here on their retry.
 */
async function assertNameFree(kv: Deno.Kv, name: string, selfId: string | null): Promise<void> {
  const wanted = siteNameKey(name);
  const taken = (await listSites(kv)).find((s) =>
    s.id !== selfId && siteNameKey(s.name) === wanted
  );
  if (taken) {
    const reason = `Another site is already called "${taken.name}"; choose another name.`;
    throw new AppError(409, "duplicate_name", reason, { fields: { name: reason } });
  }
}

async function commitSite(
  engine: Engine,
  build: (op: Deno.AtomicOperation) => Deno.AtomicOperation,
  change: { type: string; siteId: string },
  /** Checks run before each attempt (a refusal throws). */
  before: () => Promise<void> = async () => {},
): Promise<void> {
  const { kv } = engine;
  await retryCommit(async () => {
    await before();
    const head = await readHead(kv);
    const { op } = withChanges(build(kv.atomic()), head, [{
      type: change.type,
      data: { siteId: change.siteId },
    }]);
    const result = await op.commit();
    return result.ok ? { ok: true, value: undefined } : { ok: false };
  }, () => conflict("busy", "The site could not be saved; try again."));
  engine.changes.ring();
}

/** Creates a site with a fresh public site key. Input is validated with {@link siteInputSchema}. */
export async function createSite(engine: Engine, input: SiteInput): Promise<Site> {
  const data = siteInputSchema.parse(input);
  const now = new Date().toISOString();
  const site: Site = {
    id: newId(),
    siteKey: "site_" + randomToken(12),
    ...data,
    createdAt: now,
    updatedAt: now,
  };
  await commitSite(
    engine,
    (op) =>
      op.check({ key: keys.siteByKey(site.siteKey), versionstamp: null })
        .check({ key: keys.siteByName(siteNameKey(site.name)), versionstamp: null })
        .set(keys.site(site.id), site)
        .set(keys.siteByKey(site.siteKey), site.id)
        .set(keys.siteByName(siteNameKey(site.name)), site.id),
    { type: "site.created", siteId: site.id },
    () => assertNameFree(engine.kv, site.name, null),
  );
  return site;
}

/** Changes a site's settings; the site key never changes. Throws 404 for an unknown id. */
export async function updateSite(engine: Engine, id: string, patch: SiteUpdate): Promise<Site> {
  const { kv } = engine;
  const data = siteUpdateSchema.parse(patch);
  if (id === DEFAULT_SITE_ID) await ensureDefaultSite(kv);
  let updated: Site | null = null;
  await retryCommit(async () => {
    const entry = await kv.get<Site>(keys.site(id));
    if (!entry.value) throw notFound("Site");
    const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
    updated = { ...entry.value, ...defined, updatedAt: new Date().toISOString() };
    const write = kv.atomic().check(entry).set(keys.site(id), updated);
    const oldName = siteNameKey(entry.value.name), newName = siteNameKey(updated.name);
    if (oldName !== newName) {
      await assertNameFree(kv, updated.name, id);
      write.check({ key: keys.siteByName(newName), versionstamp: null })
        .delete(keys.siteByName(oldName))
        .set(keys.siteByName(newName), id);
    }
    const head = await readHead(kv);
    const { op } = withChanges(write, head, [{
      type: "site.updated",
      data: { siteId: id },
    }]);
    return (await op.commit()).ok ? { ok: true, value: undefined } : { ok: false };
  }, () => conflict("busy", "The site could not be saved; try again."));
  engine.changes.ring();
  return updated!;
}

/** Deletes a site (its visitor tokens stop working). The default site cannot be deleted. */
export async function deleteSite(engine: Engine, id: string): Promise<void> {
  const { kv } = engine;
  if (id === DEFAULT_SITE_ID) {
    throw conflict("default_site", "The default site cannot be deleted; remove its origins.");
  }
  const site = await getSite(kv, id);
  if (!site) throw notFound("Site");
  await commitSite(
    engine,
    (op) =>
      op.delete(keys.site(id)).delete(keys.siteByKey(site.siteKey))
        .delete(keys.siteByName(siteNameKey(site.name))),
    { type: "site.deleted", siteId: id },
  );
}

/** The verdict of {@link checkOrigin}: allowed, or refused with a reason to show the developer. */
export type OriginVerdict = { ok: true; origin: string | null } | { ok: false; reason: string };

/**
 * May a page on `origin` use the visitor API of `site`? `selfOrigin` is
 * Parley's own origin (always allowed). A request without `Origin` is not
 * from a cross-origin browser page (same-origin GETs, or a server/curl): it is
 * allowed, since CORS only protects browsers and the token still scopes it.
 */
export function checkOrigin(
  site: Site,
  origin: string | null | undefined,
  selfOrigin: string,
): OriginVerdict {
  if (origin === null || origin === undefined) return { ok: true, origin: null };
  const normalised = normaliseOrigin(origin);
  if (normalised === null) {
    return { ok: false, reason: `The origin "${origin}" is not allowed for this site.` };
  }
  if (normalised === normaliseOrigin(selfOrigin) || site.allowAnyOrigin) {
    return { ok: true, origin: normalised };
  }
  if (site.allowedOrigins.includes(normalised)) return { ok: true, origin: normalised };
  return {
    ok: false,
    reason:
      `The origin ${normalised} is not allowed for the site "${site.name}". An admin can add it under Channels → Web widget.`,
  };
}
