/**
 * How a route is described for the OpenAPI document: its method and path (Hono style,
 * `:id`), who may call it, the zod schemas its handler parses (query, JSON body), examples that
 * must parse with those schemas, and its answers. Route areas list their operations in
 * routes/api_docs/; lib/openapi/document.ts turns the list into OpenAPI 3.1.
 */
import type { z } from "zod";
import type { Role } from "../store/agents.ts";
import type { ApiScope } from "../store/api_keys.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Who may call an operation. */
export type Access =
  | { kind: "public" }
  /** A staff session cookie (with one of `roles`, any when absent); `scope`: an API key too. */
  | { kind: "staff"; roles?: Role[]; scope?: ApiScope }
  /** The visitor token from `POST /api/v1/widget/sessions`. */
  | { kind: "visitor" }
  /** Meta's `X-Hub-Signature-256` over the raw body. */
  | { kind: "whatsapp_signature" };

/** What an operation answers with on success. */
export type Produces =
  | "json"
  | "html"
  | "redirect"
  | "sse"
  | "websocket"
  | "javascript"
  | "binary"
  | "csv";

export interface ApiOperation {
  method: HttpMethod;
  path: string;
  /** The section of the reference it belongs to. */
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** The query-string schema the handler parses (an object of strings). */
  query?: z.ZodObject;
  /** The JSON body schema the handler parses. */
  body?: z.ZodType;
  /** Request bodies a client may send; each must parse with `body`. */
  examples?: Record<string, unknown>;
  /** A form post (`application/x-www-form-urlencoded`), as the pages' forms send. */
  form?: boolean;
  produces: Produces;
  /** Answers by status: what each means (errors have the `Error` shape). */
  responses: Record<number, string>;
}

/** Shorthand for the many HTML pages and form posts, which share one shape. */
export function page(
  method: "GET" | "POST",
  path: string,
  summary: string,
  access: Access,
  tag = "Pages",
): ApiOperation {
  return method === "GET"
    ? { method, path, tag, summary, access, produces: "html", responses: { 200: "The page." } }
    : {
      method,
      path,
      tag,
      summary,
      access,
      form: true,
      produces: "redirect",
      responses: {
        303: "Done: redirects to the page with a notice.",
        400: "The page again, with the errors next to the fields.",
      },
    };
}

/** Staff access: any role, or the given ones; with `scope`, an API key with it too. */
export const staff = (scope?: ApiScope, ...roles: Role[]): Access => ({
  kind: "staff",
  ...(roles.length ? { roles } : {}),
  ...(scope ? { scope } : {}),
});
export const admin: Access = { kind: "staff", roles: ["admin"] };
export const supervisors: Access = { kind: "staff", roles: ["supervisor", "admin"] };
export const anyone: Access = { kind: "public" };
export const visitor: Access = { kind: "visitor" };
