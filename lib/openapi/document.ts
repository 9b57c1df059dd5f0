/**
 * Builds Parley's OpenAPI 3.1 document from the operation list (routes/api_docs/): each
 * operation's zod schemas become JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) through
 * zod 4's `z.toJSONSchema`, on their input side (what a client sends, before transforms).
 * The document is built once per process and served as JSON and as the HTML reference.
 */
import { z } from "zod";
import type { Access, ApiOperation, Produces } from "./operations.ts";
import { API_KEY_PREFIX } from "../store/api_keys.ts";
import { SESSION_COOKIE } from "../auth/sessions.ts";

type Json = Record<string, unknown>;

/** The JSON Schema of what a client sends for `schema` (no `$schema` key inside OpenAPI). */
export function inputJsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Json;
  return rest;
}

/** Hono's `/a/:id` as OpenAPI's `/a/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/** The error body every 4xx answer has. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe("snake_case reason, e.g. `invalid`, `missing_scope`"),
    message: z.string().describe("What was wrong, in a sentence"),
    details: z.record(z.string(), z.unknown()).optional()
      .describe("For `invalid`: `{fields: {name: message}}`"),
  }),
});

export const SECURITY_SCHEMES = {
  session: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description: "Staff session from `POST /api/v1/auth/login`. State changes must come from " +
      "Parley's own origin (`Origin` is checked).",
  },
  apiKey: {
    type: "http",
    scheme: "bearer",
    bearerFormat: `${API_KEY_PREFIX}…`,
    description: "An integration's API key (admin console → API keys). The operation's " +
      "`x-parley-scope` names the scope it needs.",
  },
  visitorToken: {
    type: "http",
    scheme: "bearer",
    description: "The visitor token from `POST /api/v1/widget/sessions`.",
  },
  whatsappSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Hub-Signature-256",
    description: "`sha256=` + hex HMAC-SHA256 of the raw body with the WhatsApp app secret.",
  },
} as const;

function security(access: Access): Json[] {
  switch (access.kind) {
    case "public":
      return [];
    case "visitor":
      return [{ visitorToken: [] }];
    case "whatsapp_signature":
      return [{ whatsappSignature: [] }];
    case "staff":
      return access.scope ? [{ session: [] }, { apiKey: [access.scope] }] : [{ session: [] }];
  }
}

/** Who may call it, in words (the reference page and `x-parley-access`). */
export function describeAccess(access: Access): string {
  switch (access.kind) {
    case "public":
      return "Anyone.";
    case "visitor":
      return "A web visitor, with its visitor token.";
    case "whatsapp_signature":
      return "Meta's Cloud API, signed with the app secret.";
    case "staff": {
      const who = access.roles?.length ? access.roles.join(" or ") : "any signed-in staff member";
      return access.scope
        ? `Staff (${who}), or an API key with the \`${access.scope}\` scope.`
        : `Staff: ${who}.`;
    }
  }
}

const CONTENT: Record<Produces, string | null> = {
  json: "application/json",
  html: "text/html",
  redirect: null,
  sse: "text/event-stream",
  websocket: null,
  javascript: "text/javascript",
  binary: "application/octet-stream",
  csv: "text/csv",
};

/** Answers every operation with a JSON body can get, whatever its own list says. */
const JSON_BODY_RESPONSES: Record<string, string> = {
  413: "The body is over `MAX_BODY_BYTES`.",
  415: "The body was not sent as `Content-Type: application/json`.",
};

function responsesOf(op: ApiOperation): Json {
  const out: Json = {};
  const responses = op.body ? { ...JSON_BODY_RESPONSES, ...op.responses } : op.responses;
  for (const [status, description] of Object.entries(responses)) {
    const code = Number(status);
    const type = code >= 400 ? "application/json" : CONTENT[op.produces];
    out[status] = {
      description,
      ...(code >= 400
        ? { content: { [type!]: { schema: { $ref: "#/components/schemas/Error" } } } }
        : type && code !== 204
        ? { content: { [type]: {} } }
        : {}),
    };
  }
  return out;
}

function parametersOf(op: ApiOperation): Json[] {
  const params: Json[] = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string", maxLength: 100 },
  }));
  for (const [name, field] of Object.entries(op.query?.shape ?? {})) {
    const schema = field as z.ZodType;
    params.push({
      name,
      in: "query",
      required: !schema.safeParse(undefined).success,
      schema: inputJsonSchema(schema),
    });
  }
  return params;
}

function requestBodyOf(op: ApiOperation): Json | undefined {
  if (op.form) {
    return { content: { "application/x-www-form-urlencoded": {} } };
  }
  if (!op.body) return undefined;
  const examples = Object.fromEntries(
    Object.entries(op.examples ?? {}).map(([name, value]) => [name, { value }]),
  );
  return {
    required: true,
    content: { "application/json": { schema: inputJsonSchema(op.body), examples } },
  };
}

/** The OpenAPI 3.1 document for these operations. */
export function buildOpenApi(
  operations: ApiOperation[],
  info: { version: string; description: string },
): Json {
  const paths: Record<string, Json> = {};
  const tags = [...new Set(operations.map((o) => o.tag))];
  for (const op of operations) {
    const path = openApiPath(op.path);
    const item = (paths[path] ??= {});
    const body = requestBodyOf(op);
    const parameters = parametersOf(op);
    item[op.method.toLowerCase()] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: `${op.method.toLowerCase()}${
        op.path.replace(
          /[^A-Za-z0-9]+(.)?/g,
          (_, ch: string | undefined) => ch?.toUpperCase() ?? "",
        )
      }`,
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responsesOf(op),
      security: security(op.access),
      "x-parley-access": describeAccess(op.access),
      ...(op.access.kind === "staff" && op.access.scope
        ? { "x-parley-scope": op.access.scope }
        : {}),
      ...(op.produces === "websocket" ? { "x-parley-websocket": true } : {}),
    };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Parley API", version: info.version, description: info.description },
    servers: [{ url: "/" }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: inputJsonSchema(errorBodySchema) },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
