/**
 * Test helpers: a real Parley server on a random loopback port with a fresh
 * in-memory KV, staff factories, a small JSON client, and a headless Chromium.
 *
 * @example
 * const app = await startTestApp();
 * try {
 *   const admin = await app.createStaff("admin");
 *   const res = await app.api("GET", "/api/v1/me", { as: admin });
 * } finally { await app.shutdown(); }
 */
import { type Browser, chromium } from "playwright-core";
import { loadConfig } from "../fresh.config.ts";
import { type RunningServer, startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { type Agent, createAgent, type Role } from "../lib/store/agents.ts";
import { SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { chromiumPath } from "./chromium.ts";
import { createSession } from "../lib/auth/sessions.ts";
import type { Engine } from "../lib/store/engine/engine.ts";

export interface Staff {
  agent: Agent;
  password: string;
  /** `Cookie` header value for this staff member's session. */
  cookie: string;
}

export interface TestApp extends RunningServer {
  kv: Deno.Kv;
  /** The app's engine object (for calling the engine directly). */
  engine: Engine;
  createStaff(
    role: Role,
    overrides?: Partial<{ name: string; email: string; maxChats: number | null }>,
  ): Promise<Staff>;
  /** JSON request against the app; `as` signs it in, and state changes carry a same-origin `Origin`. */
  api(
    method: string,
    path: string,
    options?: { as?: Staff; body?: unknown; rawBody?: string; headers?: Record<string, string> },
    // deno-lint-ignore no-explicit-any
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

let counter = 0;

export async function startTestApp(
  env: Record<string, string> = {},
  /** `kv`: serve this store (left open at shutdown; e.g. a file, for a restart); `log`: start-up lines. */
  options: { kv?: Deno.Kv; log?: (line: string) => void } = {},
): Promise<TestApp> {
  const config = loadConfig({
    KV_PATH: ":memory:",
    PORT: "0",
    PASSWORD_ITERATIONS: "1000",
    ...env,
  });
  const kv = options.kv ?? await Deno.openKv(":memory:");
  const server = await startServer(config, routeTable, { kv, log: options.log });
  const app: TestApp = {
    ...server,
    kv,
    engine: server.deps.engine,
    async shutdown() {
      await server.shutdown();
      if (!options.kv) kv.close();
    },
    async createStaff(role, overrides = {}) {
      const n = ++counter;
      const password = `password-${n}-${crypto.randomUUID().slice(0, 8)}`;
      const agent = await createAgent(kv, {
        name: overrides.name ?? `${role[0].toUpperCase()}${role.slice(1)} ${n}`,
        email: overrides.email ?? `${role}${n}-${crypto.randomUUID().slice(0, 6)}@example.test`,
        password,
        role,
        maxChats: overrides.maxChats ?? null,
      }, config.passwordIterations);
      const token = await createSession(kv, agent.id, config.sessionTtlMs);
      return { agent, password, cookie: `${SESSION_COOKIE}=${token}` };
    },
    async api(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.as) headers.cookie = options.as.cookie;
      if (method !== "GET" && method !== "HEAD") headers.origin ??= server.url;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] = "application/json";
      }
      const res = await fetch(server.url + path, { method, headers, body, redirect: "manual" });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch { /* not JSON */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  return app;
}

/** The flags DEVELOPERS.md asks for: no sandbox (root), no network chatter. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** A headless Chromium: `CHROMIUM_PATH` when set, else the one installed (tests/chromium.ts). */
export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
