/**
 * `/demo`: a page on Parley's own origin that embeds the widget exactly as a
 * customer's website would (the stub, the product documentation's
 * `addContext` snippet before the script loads, and more context after), so
 * a newcomer can start a conversation and answer it in the workspace.
 */
import { Hono } from "hono";
import { Layout } from "../components/Layout.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { WIDGET_STUB } from "../lib/channels/widget_snippet.ts";

const BEFORE_LOAD = `var customValue1 = "demo-" + new Date().toISOString().slice(0, 10);
SyntphonyConversationalAIChat.addContext({ 'CUSTOM_KEY1': customValue1 });
SyntphonyConversationalAIChat.addContext({ page: location.pathname, plan: "Pro" });`;

const AFTER_LOAD = `document.getElementById("add-cart").addEventListener("click", function () {
  var n = Number(this.dataset.count || 0) + 1;
  this.dataset.count = n;
  SyntphonyConversationalAIChat.addContext({ cartItems: n, lastProduct: "Blue mug" });
  document.getElementById("cart-status").textContent = "Cart: " + n + " item(s). The agent's Context view shows it.";
});
document.getElementById("open-chat").addEventListener("click", function () { Parley.open(); });`;

const SNIPPET = `<script>
  ${WIDGET_STUB}
  SyntphonyConversationalAIChat.addContext({ 'CUSTOM_KEY1': customValue1 });
</script>
<script src="PARLEY_ORIGIN/widget.js" data-site-key="SITE_KEY" async></script>`;

export function demoRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/demo", (c) => {
    const nonce = c.get("nonce");
    const origin = new URL(c.req.url).origin;
    return renderPage(
      c,
      <Layout title="Parley widget demo" assets={deps.assets} scripts={false}>
        <main class="max-w-2xl mx-auto p-6 space-y-6">
          <h1 class="text-2xl font-semibold">Parley widget demo</h1>
          <p>
            This page embeds the chat widget like any website would. Open the chat with the button
            at the bottom right, write a message, and answer it from the{" "}
            <a class="underline text-blue-700" href="/">workspace</a>{" "}
            (signed in as an agent who is Online) in another window.
          </p>
          <section class="space-y-2" aria-labelledby="shop">
            <h2 id="shop" class="text-lg font-semibold">A pretend shop</h2>
            <p>
              The page sent <code>CUSTOM_KEY1</code>, <code>page</code> and <code>plan</code>{" "}
              as context before the widget loaded. Adding to the cart sends more, live.
            </p>
            <div class="flex gap-3">
              <button
                id="add-cart"
                type="button"
                class="border border-gray-300 rounded px-3 py-1 bg-white hover:bg-gray-100"
              >
                Add the blue mug to the cart
              </button>
              <button
                id="open-chat"
                type="button"
                class="border border-gray-300 rounded px-3 py-1 bg-white hover:bg-gray-100"
              >
                Ask us a question
              </button>
            </div>
            <p id="cart-status" role="status" class="text-sm text-gray-600"></p>
          </section>
          <section class="space-y-2" aria-labelledby="embed">
            <h2 id="embed" class="text-lg font-semibold">Embed it on your site</h2>
            <pre class="text-xs bg-gray-100 p-3 rounded overflow-x-auto"><code>{SNIPPET.replace("PARLEY_ORIGIN", origin)}</code></pre>
          </section>
        </main>
        <script
          nonce={nonce}
          dangerouslySetInnerHTML={{ __html: WIDGET_STUB + "\n" + BEFORE_LOAD }}
        />
        <script src="/widget.js" async></script>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: AFTER_LOAD }} />
      </Layout>,
    );
  });
  return app;
}
