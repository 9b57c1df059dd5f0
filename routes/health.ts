import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";

/** `GET /healthz`: 200 when KV answers, 503 when it does not. */
export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", async (c) => {
    try {
      await deps.kv.get(["healthz"]);
      return c.json({ ok: true });
    } catch (err) {
      console.error("healthz: KV did not answer:", err);
      return c.json({ ok: false }, 503);
    }
  });
  return app;
}
