/**
 * The agent workspace at `/`, for signed-in staff. Server-rendered with the
 * lists and the open conversation (`?c=ID`, `?tab=active|pending|closed`,
 * `?q=` to search Closed), so it is useful before scripts run; then the
 * islands (islands/HeaderControls, ConversationList, ConversationPane) make
 * it live over the event stream and the agent WebSocket. Without scripts,
 * routes/workspace_forms.ts takes the status, pick-up and reply forms.
 */
import { Hono } from "hono";
import { Header } from "../components/Header.tsx";
import { Layout } from "../components/Layout.tsx";
import { SeededIsland, WorkspaceSeedScript } from "../components/workspace/SeededIsland.tsx";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { renderPage } from "../lib/http/render.ts";
import { publicAgent } from "../lib/store/agents.ts";
import { loadWorkspaceSeed } from "../lib/workspace/seed.ts";
import { titleWithUnread } from "../lib/ui/format.ts";
import HeaderControls from "../islands/HeaderControls.tsx";
import ConversationList from "../islands/ConversationList.tsx";
import ConversationPane from "../islands/ConversationPane.tsx";
import WorkspaceSearch from "../islands/WorkspaceSearch.tsx";
import { workspaceFormRoutes } from "./workspace_forms.ts";

export function workspaceRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", workspaceFormRoutes(deps));
  app.get("/", async (c) => {
    const agent = c.get("agent");
    if (!agent) return c.redirect("/login");
    const seed = await loadWorkspaceSeed(deps, agent, {
      conversationId: c.req.query("c") ?? null,
      tab: c.req.query("tab") ?? null,
      closedQuery: c.req.query("q") ?? null,
      notice: c.req.query("notice") ?? null,
    });
    const unread = seed.lists.active
      .filter((conv) => conv.assigneeId === agent.id)
      .reduce((n, conv) => n + conv.unread, 0);
    return renderPage(
      c,
      <Layout title={titleWithUnread(unread, "Parley")} assets={deps.assets}>
        <div class="flex flex-col h-screen">
          <Header
            agent={publicAgent(agent)}
            search={<SeededIsland name="WorkspaceSearch" component={WorkspaceSearch} seed={seed} />}
          >
            <SeededIsland name="HeaderControls" component={HeaderControls} seed={seed} />
          </Header>
          <div class="flex flex-1 min-h-0">
            <SeededIsland name="ConversationList" component={ConversationList} seed={seed} />
            <SeededIsland name="ConversationPane" component={ConversationPane} seed={seed} />
          </div>
        </div>
        <WorkspaceSeedScript seed={seed} />
      </Layout>,
    );
  });
  return app;
}
