/** The invitee's page: choose a password from a one-time invite link. */
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";

export function inviteRoutes(_deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
