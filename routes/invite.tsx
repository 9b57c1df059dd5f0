/**
 * The invitee's page: `/invite/TOKEN` from a one-time invite link shows who
 * the account is for and lets the invitee choose a password; the link then
 * stops working and the invitee signs in.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AuthCard, Field, FormError, SubmitButton } from "../components/AuthCard.tsx";
import { Layout } from "../components/Layout.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { newAgentSchema } from "../lib/store/agents.ts";
import { acceptInvite, getInvite } from "../lib/store/invites.ts";
import { formFailure, readForm } from "../lib/http/forms.ts";
import { t } from "../lib/i18n/mod.ts";

const acceptSchema = z.object({
  password: newAgentSchema.shape.password,
  confirm: z.string().max(200),
}).refine((v) => v.password === v.confirm, {
  path: ["confirm"],
  message: "The two passwords differ",
});

function InvitePage(
  { deps, token, name, email, error, fields = {} }: {
    deps: AppDeps;
    token: string;
    name: string;
    email: string;
    error?: string;
    fields?: Record<string, string>;
  },
) {
  return (
    <Layout title={t("invite.pageTitle")} assets={deps.assets} scripts={false}>
      <AuthCard title={t("invite.title")}>
        <p class="text-sm text-gray-600 mb-4">
          {t("invite.welcome", { name, email })}
        </p>
        <form method="post" action={`/invite/${token}`} novalidate>
          <FormError message={error} />
          <Field
            label={t("auth.password")}
            name="password"
            type="password"
            autocomplete="new-password"
            error={fields.password}
          />
          <Field
            label={t("invite.repeat")}
            name="confirm"
            type="password"
            autocomplete="new-password"
            error={fields.confirm}
          />
          <SubmitButton>{t("invite.submit")}</SubmitButton>
        </form>
      </AuthCard>
    </Layout>
  );
}

function InvalidInvite({ deps }: { deps: AppDeps }) {
  return (
    <Layout title={t("invite.invalidPageTitle")} assets={deps.assets} scripts={false}>
      <AuthCard title={t("invite.invalid")}>
        <p class="text-sm mb-4">
          {t("invite.invalidWhy")}
        </p>
        <a href="/login" class="underline text-brand-700">{t("auth.signIn")}</a>
      </AuthCard>
    </Layout>
  );
}

/** `GET|POST /invite/:token`: the invitee chooses a password. */
export function inviteRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/invite/:token", async (c) => {
    const found = await getInvite(deps.kv, c.req.param("token"));
    if (!found) return renderPage(c, <InvalidInvite deps={deps} />, 404);
    const { name, email } = found.agent;
    return renderPage(
      c,
      <InvitePage deps={deps} token={c.req.param("token")} name={name} email={email} />,
    );
  });

  app.post("/invite/:token", async (c) => {
    const token = c.req.param("token");
    const found = await getInvite(deps.kv, token);
    if (!found) return renderPage(c, <InvalidInvite deps={deps} />, 404);
    const form = await readForm(c);
    try {
      const { password } = parseWith(acceptSchema, form);
      await acceptInvite(deps.kv, token, password, deps.config.passwordIterations);
      const next = new URLSearchParams({ invited: "1", email: found.agent.email });
      return c.redirect(`/login?${next}`, 303);
    } catch (err) {
      const failure = formFailure(err);
      // The rules' reasons in the page's language (zod's messages are the API's English).
      const fields = Object.fromEntries(
        Object.keys(failure.fields).map((k) => [
          k,
          k === "confirm" ? t("invite.differ") : t("invite.tooShort"),
        ]),
      );
      return renderPage(
        c,
        <InvitePage
          deps={deps}
          token={token}
          name={found.agent.name}
          email={found.agent.email}
          error={failure.message}
          fields={fields}
        />,
        failure.status,
      );
    }
  });

  return app;
}
