/**
 * The workspace without scripts: plain HTML form posts for the few actions an
 * agent needs most (set the status, pick up a chat, reply or add a note), so
 * the server-rendered page is usable before (or without) the islands. Each
 * answers with a redirect back to the page (303), carrying the reason as
 * `?notice=` when the engine refused. With scripts, the islands use the JSON
 * API instead. Thin: parse, call lib/store/engine, redirect.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { clientId, isOwnHost, messageText, ownOrigin } from "../lib/domain/boundary.ts";
import { AGENT_STATUSES } from "../lib/domain/engine_types.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { AppError, badRequest } from "../lib/errors.ts";
import { parseWith } from "../lib/validate.ts";
import type { Agent } from "../lib/store/agents.ts";
import { setAgentLocale } from "../lib/store/agents.ts";
import { LOCALES } from "../lib/i18n/locales.ts";
import { appendStaffMessage, pickupConversation, setAgentStatus } from "../lib/store/engine/mod.ts";

const statusForm = z.object({ status: z.enum(AGENT_STATUSES) });
const languageForm = z.object({ locale: z.enum(LOCALES) });
const messageForm = z.object({
  text: messageText("Write a message first."),
  clientId,
  internal: z.string().optional(),
});

/** The workspace URL the form came from (same host only), else `/`; `admin` allows /admin pages. */
function backTo(c: Context<AppEnv>, admin = false): string {
  try {
    const ref = new URL(c.req.header("referer") ?? "");
    const page = ref.pathname === "/" || (admin && /^\/admin(\/[\w-]*)?$/.test(ref.pathname));
    if (isOwnHost(ref.href, ownOrigin(c.req.raw)) && page) {
      return ref.pathname + ref.search;
    }
  } catch { /* no or bad Referer */ }
  return "/";
}

function withNotice(path: string, notice: string | null): string {
  const url = new URL(path, "http://x");
  if (notice) url.searchParams.set("notice", notice.slice(0, 300));
  else url.searchParams.delete("notice");
  return url.pathname + url.search;
}

async function fields(c: Context<AppEnv>): Promise<Record<string, string>> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw badRequest("malformed_form", "The form could not be read.");
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** Runs a form action for the signed-in member; refusals come back as a notice on the page. */
async function formAction(
  c: Context<AppEnv>,
  to: string,
  action: (agent: Agent, form: Record<string, string>) => Promise<void>,
): Promise<Response> {
  const agent = c.get("agent");
  if (!agent) return c.redirect("/login", 303);
  try {
    await action(agent, await fields(c));
    return c.redirect(withNotice(to, null), 303);
  } catch (err) {
    if (err instanceof AppError && err.status !== 401) {
      return c.redirect(withNotice(to, err.message), 303);
    }
    throw err;
  }
}

export function workspaceFormRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { engine } = deps;
  const chat = (id: string) => `/?c=${encodeURIComponent(id)}`;
  const idParam = (c: Context<AppEnv>) => c.req.param("id")?.slice(0, 100) ?? "";

  app.post("/workspace/status", (c) =>
    formAction(c, backTo(c), async (agent, form) => {
      const { status } = parseWith(statusForm, form);
      await setAgentStatus(engine, agent.id, status);
    }));

  // The language picker without scripts (the header's island uses PUT /api/v1/me/locale).
  app.post("/workspace/language", (c) =>
    formAction(c, backTo(c, true), async (agent, form) => {
      const { locale } = parseWith(languageForm, form);
      await setAgentLocale(deps.kv, agent.id, locale);
    }));

  app.post(
    "/workspace/conversations/:id/pickup",
    (c) =>
      formAction(c, chat(idParam(c)), async (agent) => {
        await pickupConversation(engine, idParam(c), agent);
      }),
  );

  app.post(
    "/workspace/conversations/:id/messages",
    (c) =>
      formAction(c, chat(idParam(c)), async (agent, form) => {
        const input = parseWith(messageForm, form);
        await appendStaffMessage(engine, idParam(c), agent, {
          text: input.text,
          clientId: input.clientId,
          internal: input.internal === "on" || input.internal === "1",
        });
      }),
  );

  return app;
}
