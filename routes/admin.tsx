/** The admin console pages at `/admin` (admin role). */
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";

export function adminPageRoutes(_deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
