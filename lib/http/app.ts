/**
 * The Hono app factory. Order matters: WebSocket routes are mounted before
 * anything that changes headers; pages and the JSON API sit behind security
 * headers, sessions, CSRF and the body limit; errors map in one handler.
 */
import { Hono } from "hono";
import { serveStatic } from "hono/deno";
import { compress } from "hono/compress";
import type { AppDeps, AppEnv } from "./context.ts";
import { errorBody, errorResponse } from "./errors.ts";
import {
  bodyLimit,
  isWebSocketPath,
  loadSession,
  sameOriginWrites,
  securityHeaders,
} from "./middleware.ts";
import { adminApiRoutes } from "../../routes/admin_api.ts";
import { adminConsoleApiRoutes } from "../../routes/admin_console_api.ts";
import { adminPageRoutes } from "../../routes/admin.tsx";
import { inviteRoutes } from "../../routes/invite.tsx";
import { quickResponseRoutes } from "../../routes/quick_responses.ts";
import { teamRoutes } from "../../routes/teams_api.ts";
import { authRoutes } from "../../routes/auth.tsx";
import { healthRoutes } from "../../routes/health.ts";
import { conversationsApiRoutes } from "../../routes/conversations_api.ts";
import { meApiRoutes } from "../../routes/me_api.ts";
import { settingsApiRoutes } from "../../routes/settings_api.ts";
import { registerEngineJobs } from "../store/engine/jobs.ts";
import { whatsappRoutes } from "../../routes/whatsapp.ts";
import { streamRoutes } from "../../routes/stream.ts";
import { wsRoutes } from "../../routes/ws.ts";
import { workspaceRoutes } from "../../routes/workspace.tsx";
import { widgetApiRoutes } from "../../routes/widget_api.ts";
import { demoRoutes } from "../../routes/demo.tsx";

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((err) => errorResponse(err));
  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) {
      return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);
    }
    return c.text("Not found", 404);
  });

  // WebSocket routes go here, before header-changing middleware (later issues).
  app.route("/", wsRoutes(deps));

  app.use("*", async (c, next) => {
    if (isWebSocketPath(c.req.path)) return await next();
    return await securityHeaders()(c, next);
  });
  // Deno.serve compresses nothing by itself. Streams are left alone: a compressor would hold
  // server-sent events back until its buffer fills.
  const gzip = compress();
  app.use("*", async (c, next) => {
    if (isWebSocketPath(c.req.path) || c.req.path === "/api/v1/stream") return await next();
    return await gzip(c, next);
  });
  app.use(
    "/static/build/*",
    async (c, next) => {
      await next();
      if (c.res.ok) c.res.headers.set("cache-control", "public, max-age=31536000, immutable");
    },
    serveStatic({ root: new URL("../../", import.meta.url).pathname }),
  );
  app.use("/static/*", serveStatic({ root: new URL("../../", import.meta.url).pathname }));
  app.use("*", bodyLimit(deps.config.maxBodyBytes));
  app.use("*", loadSession(deps));
  app.use("*", sameOriginWrites());

  app.route("/", healthRoutes(deps));
  app.route("/", meApiRoutes(deps));
  app.route("/", conversationsApiRoutes(deps));
  app.route("/", settingsApiRoutes(deps));
  app.route("/", whatsappRoutes(deps));
  app.route("/", streamRoutes(deps));
  app.route("/", authRoutes(deps));
  app.route("/", adminApiRoutes(deps));
  app.route("/", adminConsoleApiRoutes(deps));
  app.route("/", quickResponseRoutes(deps));
  app.route("/", teamRoutes(deps));
  app.route("/", adminPageRoutes(deps));
  app.route("/", inviteRoutes(deps));
  app.route("/", workspaceRoutes(deps));
  app.route("/", widgetApiRoutes(deps));
  app.route("/", demoRoutes(deps));
  registerEngineJobs(deps);
  return app;
}
