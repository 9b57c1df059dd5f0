/** Admin page for the audit log: newest first, filtered by what changed, who, or text; paged. */
import { Hono } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, SelectField, TextField } from "../components/Form.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { listAgents, publicAgent } from "../lib/store/agents.ts";
import { listAudit } from "../lib/store/audit.ts";
import { listTeams } from "../lib/store/teams.ts";
import {
  auditActionInWords,
  auditDetailsInWords,
  auditTargetInWords,
} from "../lib/admin/audit_words.ts";
import { auditQuerySchema } from "./admin_console_api.ts";
import { type MessageKey, t } from "../lib/i18n/mod.ts";
import { When } from "../components/admin/When.tsx";

/** The "What changed" filter's choices: the stored target types, in the page's words. */
const TARGET_WORDS: Record<string, MessageKey> = {
  agent: "admin.audit.target.agent",
  team: "admin.audit.target.team",
  quick_response: "admin.audit.target.quick_response",
  settings: "admin.audit.target.settings",
  site: "admin.audit.target.site",
  whatsapp: "admin.audit.target.whatsapp",
  api_key: "admin.audit.target.api_key",
  webhook: "admin.audit.target.webhook",
  contact: "admin.audit.target.contact",
};

/** The `/admin/audit` page. */
export function adminAuditPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/admin/audit", async (c) => {
    const raw = c.req.query();
    const parsed = auditQuerySchema.safeParse(raw);
    const query = parsed.success ? parsed.data : parseWith(auditQuerySchema, {});
    const [{ items, cursor }, agents, teams] = await Promise.all([
      listAudit(deps.kv, { ...query, limit: query.limit ?? 50 }),
      listAgents(deps.kv),
      listTeams(deps.kv),
    ]);
    const names = {
      team: (id: string) => teams.find((t) => t.id === id)?.name ?? null,
      agent: (id: string) => agents.find((a) => a.id === id)?.name ?? null,
    };
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, before: cursor ?? "" })) if (v) next.set(k, v);
    return renderPage(
      c,
      <AdminLayout
        title={t("admin.nav.audit")}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/audit"
      >
        <Section title={t("admin.audit.filter")} id="filter">
          <form method="get" action="/admin/audit" class="grid md:grid-cols-4 gap-x-4 items-end">
            <SelectField
              label={t("admin.audit.whatChanged")}
              name="targetType"
              value={query.targetType ?? ""}
              options={[
                { value: "", label: t("admin.audit.everything") },
                ...Object.entries(TARGET_WORDS).map(([value, key]) => ({ value, label: t(key) })),
              ]}
            />
            <SelectField
              label={t("admin.audit.changedBy")}
              name="actorId"
              value={query.actorId ?? ""}
              options={[
                { value: "", label: t("admin.audit.anyone") },
                ...agents.map((a) => ({ value: a.id, label: `${a.name} (${a.email})` })),
              ]}
            />
            <TextField label={t("admin.audit.contains")} name="q" value={query.q} />
            <div class="mb-3">
              <Button variant="secondary">{t("admin.audit.filter")}</Button>
            </div>
          </form>
          {!parsed.success && (
            <p role="alert" class="text-sm text-red-700">
              {t("admin.audit.badFilters")}
            </p>
          )}
        </Section>
        <Section title={t("admin.audit.changes")} id="changes">
          {items.length === 0
            ? <p class="text-sm text-gray-600">{t("admin.audit.none")}</p>
            : (
              <table class="w-full text-sm" data-testid="audit-table">
                <thead>
                  <tr class="text-left border-b border-gray-200">
                    <th scope="col" class="py-2 pr-3">{t("admin.audit.when")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.audit.who")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.audit.what")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.audit.which")}</th>
                    <th scope="col" class="py-2 pr-3">{t("admin.audit.details")}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.id} class="border-b border-gray-100 align-top">
                      <td class="py-2 pr-3 whitespace-nowrap">
                        <When iso={e.at} seconds />
                      </td>
                      <td class="py-2 pr-3">{e.actorName}</td>
                      <td class="py-2 pr-3" data-action={e.action}>
                        {auditActionInWords(e.action)}
                      </td>
                      <td class="py-2 pr-3">{auditTargetInWords(e)}</td>
                      <td class="py-2 pr-3 text-gray-700">{auditDetailsInWords(e, names)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          {cursor && (
            <p class="mt-3 text-sm">
              <a href={`/admin/audit?${next}`} class="underline text-brand-700">
                {t("admin.audit.older")}
              </a>
            </p>
          )}
        </Section>
      </AdminLayout>,
    );
  });

  return app;
}
