/** Sign-in, sign-out and first-run setup: pages and the JSON API. */
import { Hono } from "hono";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { AuthCard, Field, FormError, SubmitButton } from "../components/AuthCard.tsx";
import { Layout } from "../components/Layout.tsx";
import { signIn, WRONG_CREDENTIALS } from "../lib/auth/login.ts";
import { deleteSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { completeSetup, isSetupOpen } from "../lib/auth/setup.ts";
import { AppError } from "../lib/errors.ts";
import { clientAddress } from "../lib/http/forwarded.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { isHttps } from "../lib/http/middleware.ts";
import { rememberBrowserLocale } from "../lib/http/locale.ts";
import { renderPage } from "../lib/http/render.ts";
import { parseWith } from "../lib/validate.ts";
import { parseJsonBody } from "../lib/http/parse_request.ts";
import { newAgentSchema, publicAgent } from "../lib/store/agents.ts";
import { formatRelative, t } from "../lib/i18n/mod.ts";

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Email is required").max(254),
  password: z.string().min(1, "Password is required").max(200),
});

const setupSchema = newAgentSchema.omit({ role: true, teamId: true, maxChats: true }).extend({
  code: z.string().trim().min(1, "The setup code is required").max(100),
});

function setSessionCookie(c: Context, token: string, ttlMs: number) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: "/",
    maxAge: Math.floor(ttlMs / 1000),
  });
}

async function formFields(c: Context): Promise<Record<string, string>> {
  const form = await c.req.parseBody().catch(() => ({})); // a broken body reads as empty: 400
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === "string") out[k] = v;
  return out;
}

function LoginPage(
  { deps, email, error, welcome }: {
    deps: AppDeps;
    email?: string;
    error?: string;
    /** Just came from accepting an invite: say so (the email is filled in). */
    welcome?: boolean;
  },
) {
  return (
    <Layout title={t("auth.signInTitle")} assets={deps.assets} scripts={false}>
      <AuthCard title={t("auth.signIn")}>
        <form method="post" action="/login" novalidate>
          {welcome && !error && (
            <p
              role="status"
              class="mb-4 text-sm text-green-900 bg-green-50 border border-green-200 rounded p-2"
            >
              {t("auth.welcome")}
            </p>
          )}
          <FormError message={error} />
          <Field
            label={t("auth.email")}
            name="email"
            type="email"
            value={email}
            autocomplete="username"
          />
          <Field
            label={t("auth.password")}
            name="password"
            type="password"
            autocomplete="current-password"
          />
          <SubmitButton>{t("auth.signIn")}</SubmitButton>
        </form>
      </AuthCard>
    </Layout>
  );
}

/** A refused setup in the page's words (the error's message stays English for logs and APIs). */
function setupRefusal(err: AppError): string {
  if (err.code === "setup_closed") return t("setup.closed");
  if (err.status === 403) return t("setup.wrongCode");
  return err.message;
}

function SetupPage(
  { deps, values = {}, error, fields = {} }: {
    deps: AppDeps;
    values?: Record<string, string>;
    error?: string;
    fields?: Record<string, string>;
  },
) {
  return (
    <Layout title={t("setup.pageTitle")} assets={deps.assets} scripts={false}>
      <AuthCard title={t("setup.title")}>
        <p class="text-sm text-gray-600 mb-4">{t("setup.intro")}</p>
        <form method="post" action="/setup" novalidate>
          <FormError message={error} />
          <Field
            label={t("setup.code")}
            name="code"
            value={values.code}
            autocomplete="off"
            error={fields.code}
          />
          <Field
            label={t("setup.name")}
            name="name"
            value={values.name}
            autocomplete="name"
            error={fields.name}
          />
          <Field
            label={t("auth.email")}
            name="email"
            type="email"
            value={values.email}
            autocomplete="username"
            error={fields.email}
          />
          <Field
            label={t("auth.password")}
            name="password"
            type="password"
            autocomplete="new-password"
            error={fields.password}
          />
          <SubmitButton>{t("setup.submit")}</SubmitButton>
        </form>
      </AuthCard>
    </Layout>
  );
}

/** What a setup field needs, in the page's language. */
function setupFieldError(field: string): string {
  if (field === "code") return t("setup.codeMissing");
  if (field === "name") return t("setup.nameMissing");
  if (field === "email") return t("setup.emailBad");
  return t("invite.tooShort");
}

/** A refused sign-in in the page's language (the API's words for anything unforeseen). */
function loginRefusal(err: AppError): string {
  if (err.message === WRONG_CREDENTIALS) return t("auth.wrong");
  if (err.status === 400) return t("auth.missing");
  const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (err.status === 429 && retry) {
    return t("auth.tooMany", { when: formatRelative(Math.max(60, retry) * 1000) });
  }
  return err.message;
}

export function authRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessionOptions = {
    iterations: deps.config.passwordIterations,
    sessionTtlMs: deps.config.sessionTtlMs,
  };

  app.get("/login", async (c) => {
    if (await isSetupOpen(deps.kv)) return c.redirect("/setup");
    if (c.get("agent")) return c.redirect("/");
    // After accepting an invite (`?invited=1&email=…`): a welcome line and the email filled in.
    const email = z.email().max(254).safeParse(c.req.query("email") ?? "");
    return renderPage(
      c,
      <LoginPage
        deps={deps}
        welcome={c.req.query("invited") === "1"}
        email={email.success ? email.data : undefined}
      />,
    );
  });

  app.post("/login", async (c) => {
    const form = await formFields(c);
    try {
      const input = parseWith(loginSchema, form);
      const { agent, token } = await signIn(
        deps.kv,
        { ...input, address: clientAddress(c) },
        sessionOptions,
      );
      await rememberBrowserLocale(deps.kv, c, agent);
      setSessionCookie(c, token, deps.config.sessionTtlMs);
      return c.redirect("/");
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return renderPage(
        c,
        <LoginPage
          deps={deps}
          email={form.email}
          // The page's own words for the everyday refusals; the API keeps its English messages.
          error={loginRefusal(err)}
        />,
        err.status as 400,
      );
    }
  });

  app.post("/logout", async (c) => {
    await deleteSession(deps.kv, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login");
  });

  app.get("/setup", async (c) => {
    if (!(await isSetupOpen(deps.kv))) return c.notFound();
    return renderPage(c, <SetupPage deps={deps} />);
  });

  app.post("/setup", async (c) => {
    if (!(await isSetupOpen(deps.kv))) return c.notFound();
    const form = await formFields(c);
    try {
      const { code, ...admin } = parseWith(setupSchema, form);
      const agent = await completeSetup(deps.kv, code, admin, deps.config.passwordIterations);
      const { token } = await signIn(
        deps.kv,
        { email: agent.email, password: admin.password, address: clientAddress(c) },
        sessionOptions,
      );
      setSessionCookie(c, token, deps.config.sessionTtlMs);
      return c.redirect("/");
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields ?? {};
      const { password: _omit, ...values } = form;
      return renderPage(
        c,
        <SetupPage
          deps={deps}
          values={values}
          // The fields carry their own errors; the summary names no raw keys.
          error={Object.keys(fields).length ? t("admin.form.fixFields") : setupRefusal(err)}
          // Each field's need in the page's words (zod's messages are the API's English).
          fields={Object.fromEntries(Object.keys(fields).map((k) => [k, setupFieldError(k)]))}
        />,
        err.status as 400,
      );
    }
  });

  app.post("/api/v1/auth/login", async (c) => {
    const input = await parseJsonBody(c, loginSchema);
    const { agent, token } = await signIn(
      deps.kv,
      { ...input, address: clientAddress(c) },
      sessionOptions,
    );
    await rememberBrowserLocale(deps.kv, c, agent);
    setSessionCookie(c, token, deps.config.sessionTtlMs);
    return c.json({ agent: publicAgent(agent) });
  });

  app.post("/api/v1/auth/logout", async (c) => {
    await deleteSession(deps.kv, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });

  return app;
}
