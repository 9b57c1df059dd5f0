/** The agent workspace at `/`, for signed-in staff. */
import { Hono } from "hono";
import { Header } from "../components/Header.tsx";
import { Layout } from "../components/Layout.tsx";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { publicAgent } from "../lib/store/agents.ts";

export function workspaceRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const agent = c.get("agent");
    if (!agent) return c.redirect("/login");
    return renderPage(
      c,
      <Layout title="Parley workspace" assets={deps.assets}>
        <div class="flex flex-col h-screen">
          <Header agent={publicAgent(agent)} />
          <div class="flex flex-1 min-h-0">
            <nav
              aria-label="Conversations"
              class="w-80 border-r border-gray-200 bg-white"
              id="conversation-list"
            >
            </nav>
            <main class="flex-1" id="conversation-window">
              <p class="p-6 text-gray-600">Select a conversation.</p>
            </main>
          </div>
        </div>
      </Layout>,
    );
  });
  return app;
}
