/** Visitor-API test helpers: a JSON call with a visitor token and Origin, and a fresh session. */
import assert from "node:assert/strict";
import type { TestApp } from "./helpers.ts";

export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  headers: Headers;
}

export async function call(
  app: TestApp,
  method: string,
  path: string,
  opts: { token?: string; origin?: string | null; body?: unknown; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.origin !== null) headers.origin = opts.origin ?? app.url;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) {
    headers["content-type"] = "application/json";
  }
  const res = await fetch(app.url + path, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch { /* not JSON */ }
  return { status: res.status, body, headers: res.headers };
}

export async function session(app: TestApp, siteKey?: string, origin?: string): Promise<string> {
  const res = await call(app, "POST", `/api/v1/widget/sessions?siteKey=${siteKey ?? ""}`, {
    origin,
    body: siteKey ? { siteKey } : {},
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.visitorToken;
}
