import type { Context } from "hono";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/** Renders a page component to a full HTML response. */
export function renderPage(
  c: Context,
  page: VNode,
  status: 200 | 400 | 403 | 404 | 409 | 429 = 200,
): Response {
  return c.html("<!doctype html>" + renderToString(page), status);
}
