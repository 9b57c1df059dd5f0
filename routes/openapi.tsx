/**
 * `GET /api/v1/openapi.json` (the OpenAPI 3.1 document) and `GET /api/v1/docs` (its readable
 * reference page), both public: they describe the API, never data. Built once per app.
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
  const document = openApiDocument();
  app.get("/api/v1/openapi.json", (c) => {
    c.header("cache-control", "no-cache");
    return c.json(document);
  });
  app.get(
    "/api/v1/docs",
    (c) => renderPage(c, <ApiReference operations={apiOperations} assets={deps.assets} />),
  );
  return app;
}
