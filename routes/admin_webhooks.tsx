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
import { WEBHOOK_EVENT_NAMES, WEBHOOK_EVENTS } from "../lib/webhooks/events.ts";
import { failedForm, formAction, formPost, type FormState, noticeFrom } from "../lib/http/forms.ts";

const eventField = (event: string) => `event-${event.replace(".", "-")}`;
const eventsFrom = (form: Record<string, string>) =>
  WEBHOOK_EVENT_NAMES.filter((e) => form[eventField(e)] === "on");

function When({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{iso.slice(0, 19).replace("T", " ")} UTC</time> : <>—</>;
}

function EventBoxes(
  { checked, error, idPrefix }: { checked: string[]; error?: string; idPrefix: string },
) {
  return (
    <fieldset class="mb-3" aria-describedby={error ? `${idPrefix}-events-error` : undefined}>
      <legend class="block text-sm font-medium mb-1">Events</legend>
      {WEBHOOK_EVENT_NAMES.map((e) => (
        <Checkbox
          key={e}
          label={e}
          name={eventField(e)}
          idPrefix={idPrefix}
          checked={checked.includes(e)}
          hint={WEBHOOK_EVENTS[e]}
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
  if (deliveries.length === 0) return <p class="text-sm text-gray-600">No deliveries yet.</p>;
  return (
    <table class="w-full text-sm">
      <caption class="sr-only">Deliveries, newest first</caption>
      <thead>
        <tr class="text-left border-b border-gray-200">
          <th scope="col" class="py-1 pr-2">Event</th>
          <th scope="col" class="py-1 pr-2">Status</th>
          <th scope="col" class="py-1 pr-2">Attempts</th>
          <th scope="col" class="py-1 pr-2">Last answer</th>
          <th scope="col" class="py-1">When</th>
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
                {d.status === "delivered"
                  ? "Delivered"
                  : d.status === "failed"
                  ? "Failed"
                  : "Retrying"}
              </span>
            </td>
            <td class="py-1 pr-2">{d.attempts}</td>
            <td class="py-1 pr-2">
              {d.lastStatus !== null && <span>HTTP {d.lastStatus}</span>}
              {d.lastError && <div class="text-xs text-red-800 break-all">{d.lastError}</div>}
            </td>
            <td class="py-1 text-xs">
              <div>
                Created <When iso={d.createdAt} />
              </div>
              {d.deliveredAt && (
                <div>
                  Delivered <When iso={d.deliveredAt} />
                </div>
              )}
              {d.status === "pending" && d.nextAttemptAt && (
                <div>
                  Next try <When iso={d.nextAttemptAt} />
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
        "Webhooks",
        <>
          {state.created && (
            <Section title="Your new webhook's secret" id="new-webhook">
              <p class="text-sm mb-3" role="status">
                Copy the signing secret for <strong>{state.created.webhook.url}</strong>{" "}
                now: it is shown only this once. Check each delivery's{" "}
                <code>X-Parley-Signature</code> (<code>sha256=</code>{" "}
                HMAC-SHA256 of the raw body) with it.
              </p>
              <Island
                name="CopyField"
                component={CopyField}
                props={{
                  id: "new-webhook-secret",
                  label: "Signing secret",
                  value: state.created.secret,
                }}
              />
            </Section>
          )}
          <Section title="Endpoints">
            <p class="text-sm text-gray-700 mb-2">
              Parley POSTs each event you choose to your URL, signed, and retries with growing
              delays while the receiver is down. Payloads: docs/api.md, “Outgoing webhooks”.
            </p>
            {webhooks.length === 0 && <p class="text-sm text-gray-600">No webhooks yet.</p>}
            <ul class="divide-y divide-gray-100">
              {webhooks.map((w) => (
                <li key={w.id} class="py-3" data-webhook-id={w.id}>
                  <p class="font-medium break-all">
                    <a class="underline text-brand-700" href={`/admin/webhooks/${w.id}`}>{w.url}</a>
                    {" "}
                    {w.active
                      ? (
                        <span class="text-xs rounded bg-green-100 text-green-900 px-2 py-0.5">
                          Active
                        </span>
                      )
                      : (
                        <span class="text-xs rounded bg-gray-200 text-gray-800 px-2 py-0.5">
                          Paused
                        </span>
                      )}
                  </p>
                  <p class="text-sm text-gray-700">{w.events.join(", ")}</p>
                </li>
              ))}
            </ul>
          </Section>
          <Section title="Add a webhook">
            <form method="post" action="/admin/webhooks" novalidate>
              <FormAlert message={state.error} />
              <TextField
                label="URL"
                name="url"
                type="url"
                value={state.values?.url}
                error={state.fields?.url}
                hint="Where Parley sends events, e.g. https://crm.example.com/hooks/parley"
                required
              />
              <EventBoxes checked={ticked} error={state.fields?.events} idPrefix="new" />
              <TextField
                label="Secret (optional)"
                name="secret"
                value={state.values?.secret}
                error={state.fields?.secret}
                hint="Leave empty and Parley makes a strong one."
              />
              <Button>Add webhook</Button>
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
        `Webhook: ${stored.url}`,
        <>
          <p class="mb-4 text-sm">
            <a class="underline text-brand-700" href="/admin/webhooks">All webhooks</a>
          </p>
          <Section title="Delivery log">
            <DeliveryLog deliveries={deliveries} />
          </Section>
          <Section title="Settings">
            <form method="post" action={`/admin/webhooks/${id}`} novalidate>
              <FormAlert message={state.error} />
              <TextField
                label="URL"
                name="url"
                type="url"
                value={state.values?.url ?? stored.url}
                error={state.fields?.url}
                idPrefix="edit"
                required
              />
              <EventBoxes checked={events} error={state.fields?.events} idPrefix="edit" />
              <Checkbox
                label="Active (uncheck to pause deliveries)"
                name="active"
                idPrefix="edit"
                checked={state.values ? state.values.active === "on" : stored.active}
              />
              <p class="text-sm text-gray-600 mb-3">
                Secret: <code>{stored.secretHint}…</code>
              </p>
              <Button>Save</Button>
            </form>
          </Section>
          <Section title="Delete">
            <form method="post" action={`/admin/webhooks/${id}/delete`}>
              <Button variant="danger">Delete webhook</Button>
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
