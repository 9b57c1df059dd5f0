/**
 * The OpenAPI document against the app itself: every route Hono has registered is documented
 * (and nothing documented is missing from the app), every documented example parses with the
 * very schema the handler uses, and the reference page lists every operation.
 */
import assert from "node:assert/strict";
import { startTestApp } from "./helpers.ts";
import { createApp } from "../lib/http/app.ts";
import { JobRunner } from "../lib/jobs.ts";
import { openApiPath } from "../lib/openapi/document.ts";
import { routeTable } from "../routes/mod.ts";
import { apiOperations } from "../routes/api_docs/mod.ts";

/** `METHOD /path` of every route the app serves (middleware and wildcards left out). */
function registeredRoutes(app: { routes: { method: string; path: string }[] }): Set<string> {
  return new Set(
    app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*"))
      .map((r) => `${r.method} ${r.path}`),
  );
}

Deno.test("[openapi] every route is documented, every example parses, the page lists all", async (t) => {
  const app = await startTestApp();
  try {
    // A second app on the same deps (its own job runner, never started), to read Hono's routes.
    const hono = createApp({ ...app.deps, jobs: new JobRunner(app.kv) }, routeTable);
    const routes = registeredRoutes(hono);
    const res = await app.api("GET", "/api/v1/openapi.json");
    const doc = res.body;

    await t.step("the document is OpenAPI 3.1 with the security schemes", () => {
      assert.equal(res.status, 200);
      assert.equal(doc.openapi, "3.1.0");
      assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), [
        "apiKey",
        "session",
        "visitorToken",
        "whatsappSignature",
      ]);
      assert.ok(routes.size > 100, `${routes.size} routes found`);
    });

    await t.step("every registered route is in the document", () => {
      const missing = [...routes].filter((r) => {
        const [method, path] = r.split(" ");
        return !doc.paths[openApiPath(path)]?.[method.toLowerCase()];
      });
      assert.deepEqual(missing, [], "routes without documentation");
    });

    await t.step("every documented operation is served", () => {
      const stale = apiOperations.map((o) => `${o.method} ${o.path}`).filter((r) => !routes.has(r));
      assert.deepEqual(stale, [], "documented but not served");
      const keys = apiOperations.map((o) => `${o.method} ${o.path}`);
      assert.equal(new Set(keys).size, keys.length, "each operation once");
    });

    await t.step("every JSON body has examples, and each parses with the route's schema", () => {
      let checked = 0;
      for (const op of apiOperations.filter((o) => o.body)) {
        const examples = Object.entries(op.examples ?? {});
        assert.ok(examples.length > 0, `${op.method} ${op.path} has an example`);
        for (const [name, value] of examples) {
          const parsed = op.body!.safeParse(value);
          assert.ok(
            parsed.success,
            `${op.method} ${op.path} example "${name}": ${JSON.stringify(parsed.error?.issues)}`,
          );
          const served = doc.paths[openApiPath(op.path)][op.method.toLowerCase()];
          assert.deepEqual(
            served.requestBody.content["application/json"].examples[name].value,
            value,
          );
          checked++;
        }
      }
      assert.ok(checked >= 30, `${checked} examples checked`);
    });

    await t.step("schemas are the routes' own: a reply needs text and clientId", () => {
      const reply = doc.paths["/api/v1/conversations/{id}/messages"].post;
      const schema = reply.requestBody.content["application/json"].schema;
      assert.deepEqual(schema.required.sort(), ["clientId", "text"]);
      assert.equal(schema.properties.text.maxLength, 4096);
      assert.deepEqual(reply.security, [{ session: [] }, { apiKey: ["messages:write"] }]);
      const list = doc.paths["/api/v1/conversations"].get;
      const status = list.parameters.find((p: { name: string }) => p.name === "status");
      assert.deepEqual(status.schema.enum, ["pending", "active", "closed"]);
      assert.equal(status.required, false);
      const pickup = doc.paths["/api/v1/conversations/{id}/pickup"].post;
      assert.deepEqual(pickup.security, [{ session: [] }], "pickup takes no API key");
      assert.equal(pickup.parameters[0].in, "path");
    });

    await t.step("the reference page lists every operation, without scripts", async () => {
      const page = await fetch(app.url + "/api/v1/docs");
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      const html = await page.text();
      assert.doesNotMatch(html, /<script/);
      for (const op of apiOperations) {
        assert.ok(
          html.includes(`data-operation="${op.method} ${op.path}"`),
          `${op.method} ${op.path}`,
        );
      }
      assert.match(html, /Authorization: Bearer prly_/);
    });
  } finally {
    await app.shutdown();
  }
});
