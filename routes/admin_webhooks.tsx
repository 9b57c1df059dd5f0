/**
 * Admin pages for outgoing webhooks: the endpoints with a form to add one (its secret shown once,
 * with a Copy button), and one page per endpoint with its settings (URL, events, paused) and its
 * delivery log: each event's status, attempts, the receiver's answer and the next retry.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { AdminLayout, Section } from "../components/admin/AdminLayout.tsx";
import { Button, Checkbox, FormAlert, TextField } from "../components/Form.tsx";
import { Island } from "../components/Island.tsx";
import CopyField from "../islands/CopyField.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { currentAgent } from "../lib/http/middleware.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { notFound } from "../lib/errors.ts";
import { publicAgent } from "../lib/store/agents.ts";
import {
  createWebhook,
  deleteWebhook,
  getStoredWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
  type WebhookDelivery,
  type WebhookEndpoint,
  webhookInputSchema,
  webhookUpdateSchema,
} from "../lib/webhooks/endpoints.ts";
import { WEBHOOK_EVENT_NAMES, type WebhookEvent } from "../lib/webhooks/events.ts";
import { formatNumber, type MessageKey, t, tParts } from "../lib/i18n/mod.ts";
import { When } from "../components/admin/When.tsx";
import { failedForm, formAction, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";

const eventField = (event: string) => `event-${event.replace(".", "-")}`;
const eventsFrom = (form: Record<string, string>) =>
  WEBHOOK_EVENT_NAMES.filter((e) => form[eventField(e)] === "on");

/** What each event means, in the page's words (the API's `events` keeps the English). */
const EVENT_WORDS: Record<WebhookEvent, MessageKey> = {
  "conversation.created": "admin.webhooks.event.conversationCreated",
  "conversation.assigned": "admin.webhooks.event.conversationAssigned",
  "conversation.transferred": "admin.webhooks.event.conversationTransferred",
  "conversation.closed": "admin.webhooks.event.conversationClosed",
  "message.created": "admin.webhooks.event.messageCreated",
  "csat.received": "admin.webhooks.event.csatReceived",
};

function EventBoxes(
  { checked, error, idPrefix }: { checked: string[]; error?: string; idPrefix: string },
) {
  return (
    <fieldset class="mb-3" aria-describedby={error ? `${idPrefix}-events-error` : undefined}>
      <legend class="block text-sm font-medium mb-1">{t("admin.webhooks.events")}</legend>
      {WEBHOOK_EVENT_NAMES.map((e) => (
        <Checkbox
          key={e}
          label={e}
          name={eventField(e)}
          idPrefix={idPrefix}
          checked={checked.includes(e)}
          hint={t(EVENT_WORDS[e])}
        />
      ))}
      {error && <p id={`${idPrefix}-events-error`} class="text-sm text-red-700">{error}</p>}
    </fieldset>
  );
}

const STATUS_CLASS = {
  delivered: "bg-green-100 text-green-900",
  pending: "bg-amber-100 text-amber-900",
  failed: "bg-red-100 text-red-900",
};

function DeliveryLog({ deliveries }: { deliveries: WebhookDelivery[] }) {
  if (deliveries.length === 0) {
    return <p class="text-sm text-gray-600">{t("admin.webhooks.noDeliveries")}</p>;
  }
  return (
    <table class="w-full text-sm">
      <caption class="sr-only">{t("admin.webhooks.deliveriesCaption")}</caption>
      <thead>
        <tr class="text-left border-b border-gray-200">
          <th scope="col" class="py-1 pr-2">{t("admin.webhooks.event")}</th>
          <th scope="col" class="py-1 pr-2">{t("admin.webhooks.status")}</th>
          <th scope="col" class="py-1 pr-2">{t("admin.webhooks.attempts")}</th>
          <th scope="col" class="py-1 pr-2">{t("admin.webhooks.lastAnswer")}</th>
          <th scope="col" class="py-1">{t("admin.webhooks.when")}</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} class="border-b border-gray-100 align-top" data-delivery-id={d.id}>
            <td class="py-1 pr-2">
              <code>{d.payload.type}</code>
              <div class="text-xs text-gray-600">{d.payload.id}</div>
            </td>
            <td class="py-1 pr-2">
              <span class={`rounded px-2 py-0.5 text-xs ${STATUS_CLASS[d.status]}`}>
                {t(
                  d.status === "delivered"
                    ? "admin.webhooks.delivered"
                    : d.status === "failed"
                    ? "admin.webhooks.failed"
                    : "admin.webhooks.retrying",
                )}
              </span>
            </td>
            <td class="py-1 pr-2">{formatNumber(d.attempts)}</td>
            <td class="py-1 pr-2">
              {d.lastStatus !== null && <span>HTTP {d.lastStatus}</span>}
              {d.lastError && <div class="text-xs text-red-800 break-all">{d.lastError}</div>}
            </td>
            <td class="py-1 text-xs">
              <div>
                {tParts("admin.webhooks.createdAt", { when: <When iso={d.createdAt} seconds /> })}
              </div>
              {d.deliveredAt && (
                <div>
                  {tParts("admin.webhooks.deliveredAt", {
                    when: <When iso={d.deliveredAt} seconds />,
                  })}
                </div>
              )}
              {d.status === "pending" && d.nextAttemptAt && (
                <div>
                  {tParts("admin.webhooks.nextTry", {
                    when: <When iso={d.nextAttemptAt} seconds />,
                  })}
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The `/admin/webhooks` pages and their form posts. */
export function adminWebhookPages(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const kv = deps.kv;

  function layout(c: Context<AppEnv>, title: string, body: preact.ComponentChildren) {
    return (
      <AdminLayout
        title={title}
        assets={deps.assets}
        agent={publicAgent(currentAgent(c))}
        current="/admin/webhooks"
        notice={noticeFrom(c)}
      >
        {body}
      </AdminLayout>
    );
  }

  async function listPage(
    c: Context<AppEnv>,
    state: FormState & { created?: { webhook: WebhookEndpoint; secret: string } } = {},
  ) {
    const webhooks = await listWebhooks(kv);
    const ticked = state.values ? eventsFrom(state.values) : [];
    return renderPage(
      c,
      layout(
        c,
        t("admin.nav.webhooks"),
        <>
          {state.created && (
            <Section title={t("admin.webhooks.newTitle")} id="new-webhook">
              <p class="text-sm mb-3" role="status">
                {tParts("admin.webhooks.copyNow", {
                  url: <strong>{state.created.webhook.url}</strong>,
                  header: <code>X-Parley-Signature</code>,
                  prefix: <code>sha256=</code>,
                })}
              </p>
              <Island
                name="CopyField"
                component={CopyField}
                props={{
                  id: "new-webhook-secret",
                  label: t("admin.webhooks.secretLabel"),
                  value: state.created.secret,
                }}
              />
            </Section>
          )}
          <Section title={t("admin.webhooks.endpoints")} id="endpoints">
            <p class="text-sm text-gray-700 mb-2">{t("admin.webhooks.intro")}</p>
            {webhooks.length === 0 && (
              <p class="text-sm text-gray-600">{t("admin.webhooks.none")}</p>
            )}
            <ul class="divide-y divide-gray-100">
              {webhooks.map((w) => (
                <li key={w.id} class="py-3" data-webhook-id={w.id}>
                  <p class="font-medium break-all">
                    <a class="underline text-brand-700" href={`/admin/webhooks/${w.id}`}>{w.url}</a>
                    {" "}
                    {w.active
                      ? (
                        <span class="text-xs rounded bg-green-100 text-green-900 px-2 py-0.5">
                          {t("admin.webhooks.active")}
                        </span>
                      )
                      : (
                        <span class="text-xs rounded bg-gray-200 text-gray-800 px-2 py-0.5">
                          {t("admin.webhooks.paused")}
                        </span>
                      )}
                  </p>
                  <p class="text-sm text-gray-700">{w.events.join(", ")}</p>
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t("admin.webhooks.add")} id="add-a-webhook">
            <form method="post" action="/admin/webhooks" novalidate>
              <FormAlert message={state.error} />
              <TextField
                label={t("admin.webhooks.url")}
                name="url"
                type="url"
                value={state.values?.url}
                error={state.fields?.url}
                hint={t("admin.webhooks.urlHint")}
                required
              />
              <EventBoxes checked={ticked} error={state.fields?.events} idPrefix="new" />
              <TextField
                label={t("admin.webhooks.secret")}
                name="secret"
                value={state.values?.secret}
                error={state.fields?.secret}
                hint={t("admin.webhooks.secretHint")}
              />
              <Button>{t("admin.webhooks.addButton")}</Button>
            </form>
          </Section>
        </>,
      ),
      state.status ?? 200,
    );
  }

  async function endpointPage(c: Context<AppEnv>, id: string, state: FormState = {}) {
    const stored = await getStoredWebhook(kv, id);
    if (!stored) throw notFound("Webhook");
    const deliveries = await listDeliveries(kv, id, 50);
    const events = state.values ? eventsFrom(state.values) : stored.events;
    return renderPage(
      c,
      layout(
        c,
        t("admin.webhooks.title", { url: stored.url }),
        <>
          <p class="mb-4 text-sm">
            <a class="underline text-brand-700" href="/admin/webhooks">
              {t("admin.webhooks.all")}
            </a>
          </p>
          <Section title={t("admin.webhooks.log")} id="delivery-log">
            <DeliveryLog deliveries={deliveries} />
          </Section>
          <Section title={t("admin.webhooks.settings")} id="settings">
            <form method="post" action={`/admin/webhooks/${id}`} novalidate>
              <FormAlert message={state.error} />
              <TextField
                label={t("admin.webhooks.url")}
                name="url"
                type="url"
                value={state.values?.url ?? stored.url}
                error={state.fields?.url}
                idPrefix="edit"
                required
              />
              <EventBoxes checked={events} error={state.fields?.events} idPrefix="edit" />
              <Checkbox
                label={t("admin.webhooks.activeLabel")}
                name="active"
                idPrefix="edit"
                checked={state.values ? state.values.active === "on" : stored.active}
              />
              <p class="text-sm text-gray-600 mb-3">
                {t("admin.webhooks.secretIs")} <code>{stored.secretHint}…</code>
              </p>
              <Button>{t("admin.webhooks.save")}</Button>
            </form>
          </Section>
          <Section title={t("admin.webhooks.delete")} id="delete">
            <form method="post" action={`/admin/webhooks/${id}/delete`}>
              <Button variant="danger">{t("admin.webhooks.deleteButton")}</Button>
            </form>
          </Section>
        </>,
      ),
      state.status ?? 200,
    );
  }

  app.get("/admin/webhooks", (c) => listPage(c));

  app.post("/admin/webhooks", (c) =>
    formPost(
      c,
      async (form) => {
        const input = parseWith(webhookInputSchema, {
          url: form.url,
          events: eventsFrom(form),
          ...(form.secret ? { secret: form.secret } : {}),
        });
        const created = await createWebhook(
          deps.engine,
          input,
          currentAgent(c),
          deps.config.webhooks,
        );
        c.header("cache-control", "no-store");
        return await listPage(c, { created });
      },
      (f, form) => listPage(c, failedForm(f, form)),
    ));

  app.get("/admin/webhooks/:id", (c) => endpointPage(c, c.req.param("id")));

  app.post("/admin/webhooks/:id", (c) => {
    const id = c.req.param("id");
    return formPost(
      c,
      async (form) => {
        const patch = parseWith(webhookUpdateSchema, {
          url: form.url,
          events: eventsFrom(form),
          active: form.active === "on",
        });
        await updateWebhook(deps.engine, id, patch, currentAgent(c), deps.config.webhooks);
        return `/admin/webhooks/${id}?notice=saved`;
      },
      (f, form) => endpointPage(c, id, failedForm(f, form)),
    );
  });

  app.post("/admin/webhooks/:id/delete", (c) =>
    formAction(
      c,
      async () => {
        await deleteWebhook(deps.engine, c.req.param("id"), currentAgent(c));
        return "/admin/webhooks?notice=deleted";
      },
      (f) => listPage(c, { error: f.message, status: f.status }),
    ));

  return app;
}
