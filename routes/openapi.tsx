/**
 * `GET /api/v1/openapi.json` (the OpenAPI 3.1 document) and `GET /api/v1/docs` (its readable
 * reference page), both public: they describe the API, never data. Built once per app, when
 * first asked for.
 */
import { Hono } from "hono";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { buildOpenApi } from "../lib/openapi/document.ts";
import { ApiReference } from "../components/ApiReference.tsx";
import { apiOperations } from "./api_docs/mod.ts";

export const API_VERSION = "1.0.0";

/** The document for this build of Parley. */
export function openApiDocument() {
  return buildOpenApi(apiOperations, {
    version: API_VERSION,
    description: "Parley's HTTP API: staff, integrations (API keys), admin, web widget, " +
      "WhatsApp webhook and real time. Prose and frame shapes: docs/api.md.",
  });
}

export function openApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Built on the first request, and kept as its JSON text: the document's objects held ~0.8 MiB
  // of every server's heap from start (bench/heap_summary.ts), for a page few ever fetch.
  let json: string | null = null;
  app.get("/api/v1/openapi.json", (c) => {
    json ??= JSON.stringify(openApiDocument());
    c.header("cache-control", "no-cache");
    c.header("content-type", "application/json");
    return c.body(json);
  });
  app.get(
    "/api/v1/docs",
    (c) => renderPage(c, <ApiReference operations={apiOperations} assets={deps.assets} />),
  );
  return app;
}
