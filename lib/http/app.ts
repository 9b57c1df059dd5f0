/**
 * The Hono app factory. Order matters: WebSocket routes are mounted before
 * anything that changes headers; pages and the JSON API sit behind security
 * headers, sessions, CSRF and the body limit; errors map in one handler. The
 * routes themselves come in as a table (routes/mod.ts), so lib/ imports no route.
 */
import { type Context, Hono } from "hono";
import { serveStatic } from "hono/deno";
import { compress } from "hono/compress";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "./context.ts";
import { errorBody } from "../errors.ts";
import { errorResponse } from "./error_response.ts";
import {
  bodyLimit,
  isWebSocketPath,
  loadSession,
  sameOriginWrites,
  securityHeaders,
} from "./middleware.ts";
import { registerEngineJobs } from "../store/engine/jobs.ts";
import { withRequestLocale } from "./locale.ts";

/** A route module: a Hono sub-app built from the app's dependencies. */
export type RouteModule = (deps: AppDeps) => Hono<AppEnv>;

/** Which route modules the app mounts, in order (the table is routes/mod.ts). */
export interface RouteTable {
  /** WebSocket routes: mounted before any middleware that changes headers. */
  sockets: RouteModule[];
  /** Pages, the JSON API, streams and webhooks: behind every middleware. */
  http: RouteModule[];
  /** The page for an address with none (in the visitor's language); plain text without it. */
  notFoundPage?: (deps: AppDeps) => (c: Context<AppEnv>) => Response;
}

export function createApp(deps: AppDeps, routes: RouteTable): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((err) => errorResponse(err));
  const notFoundPage = routes.notFoundPage?.(deps);
  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) {
      return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);
    }
    // A person's address (not a file the pages load): a page in their language with the way back.
    if (notFoundPage && !c.req.path.startsWith("/static/") && c.req.method === "GET") {
      return notFoundPage(c);
    }
    return c.text("Not found", 404);
  });

  // WebSocket upgrade responses have immutable headers: mount them before header-changing middleware.
  for (const mount of routes.sockets) app.route("/", mount(deps));

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
  app.use("*", withRequestLocale());
  app.use("*", sameOriginWrites());

  for (const mount of routes.http) app.route("/", mount(deps));
  registerEngineJobs(deps);
  return app;
}
