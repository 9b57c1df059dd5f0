/**
 * The API reference page, rendered on the server from the OpenAPI document's operations: one
 * section per tag with a contents list, each operation with who may call it, its parameters,
 * its body's JSON Schema and examples, and its answers. No scripts, no CDN.
 */
import type { Assets } from "../lib/app_deps.ts";
import type { ApiOperation } from "../lib/openapi/operations.ts";
import { Layout } from "./Layout.tsx";
import { describeAccess, inputJsonSchema, openApiPath } from "../lib/openapi/document.ts";

const METHOD_CLASS: Record<string, string> = {
  GET: "bg-blue-100 text-blue-900",
  POST: "bg-green-100 text-green-900",
  PUT: "bg-amber-100 text-amber-900",
  DELETE: "bg-red-100 text-red-900",
};

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const anchor = (op: ApiOperation) => `${op.method.toLowerCase()}-${slug(op.path) || "root"}`;

/** Inline `code` in the operations' short texts, as <code>; the rest stays text. */
function Text({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) => i % 2 === 1 ? <code key={i}>{part}</code> : part)}
    </>
  );
}

function Json({ value }: { value: unknown }) {
  return (
    <pre class="text-xs bg-gray-50 border border-gray-200 rounded p-2 overflow-x-auto">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function Operation({ op }: { op: ApiOperation }) {
  const query = Object.keys(op.query?.shape ?? {});
  return (
    <article
      id={anchor(op)}
      class="border-t border-gray-200 py-4"
      data-operation={`${op.method} ${op.path}`}
    >
      <h3 class="font-mono text-sm flex flex-wrap items-center gap-2">
        <span class={`rounded px-2 py-0.5 font-semibold ${METHOD_CLASS[op.method]}`}>
          {op.method}
        </span>
        <span>{openApiPath(op.path)}</span>
      </h3>
      <p class="mt-1 font-medium">{op.summary}</p>
      {op.description && (
        <p class="text-sm text-gray-700">
          <Text text={op.description} />
        </p>
      )}
      <p class="text-sm text-gray-700 mt-1">
        <span class="font-medium">Who:</span> <Text text={describeAccess(op.access)} />
      </p>
      {query.length > 0 && (
        <p class="text-sm mt-1">
          <span class="font-medium">Query:</span> {query.map((q, i) => (
            <span key={q}>
              {i > 0 && ", "}
              <code>{q}</code>
            </span>
          ))}
        </p>
      )}
      {op.body && (
        <details class="mt-2">
          <summary class="text-sm font-medium cursor-pointer">JSON body schema</summary>
          <Json value={inputJsonSchema(op.body)} />
        </details>
      )}
      {op.query && (
        <details class="mt-2">
          <summary class="text-sm font-medium cursor-pointer">Query schema</summary>
          <Json value={inputJsonSchema(op.query)} />
        </details>
      )}
      {Object.entries(op.examples ?? {}).map(([name, value]) => (
        <div key={name} class="mt-2">
          <p class="text-sm font-medium">Example: {name}</p>
          <Json value={value} />
        </div>
      ))}
      <dl class="mt-2 text-sm">
        {Object.entries(op.responses).map(([status, text]) => (
          <div key={status} class="flex gap-2">
            <dt class="font-mono w-12 shrink-0">{status}</dt>
            <dd>
              <Text text={text} />
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

export function ApiReference(
  { operations, assets }: { operations: ApiOperation[]; assets: Assets },
) {
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <Layout title="API reference · Parley" assets={assets} scripts={false}>
      <div class="max-w-4xl mx-auto p-4 md:p-6">
        <h1 class="text-2xl font-semibold mb-2">Parley API reference</h1>
        <p class="mb-2">
          The JSON API of this Parley. Machine-readable:{" "}
          <a class="underline text-brand-700" href="/api/v1/openapi.json">/api/v1/openapi.json</a>
          {" "}
          (OpenAPI 3.1). Errors are <code>{'{"error": {"code", "message", "details"?}}'}</code>{" "}
          with a 4xx status. Staff use the session cookie; integrations send an API key as{" "}
          <code>Authorization: Bearer prly_…</code>{" "}
          (admin console → API keys) on the routes whose “Who” names a scope.
        </p>
        <nav aria-label="Contents" class="mb-4">
          <h2 class="text-lg font-semibold">Contents</h2>
          <ul class="list-disc pl-6">
            {tags.map((tag) => (
              <li key={tag}>
                <a class="underline text-brand-700" href={`#${slug(tag)}`}>{tag}</a>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          {tags.map((tag) => (
            <section key={tag} id={slug(tag)} aria-labelledby={`${slug(tag)}-h`} class="mb-6">
              <h2 id={`${slug(tag)}-h`} class="text-xl font-semibold">{tag}</h2>
              {operations.filter((o) =>
                o.tag === tag
              ).map((op) => <Operation key={anchor(op)} op={op} />)}
            </section>
          ))}
        </main>
      </div>
    </Layout>
  );
}
