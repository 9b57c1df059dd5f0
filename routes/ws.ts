/**
 * The WebSocket routes: `GET /ws/agent` (staff chat panes, signed in by the
 * session cookie, same-origin only) and `GET /ws/visitor?token=…` (the
 * widget, by visitor token and the site's allowed origins). Mounted before
 * the header-changing middleware: an upgrade response's headers are
 * immutable. The protocol lives in lib/realtime/socket.ts and protocol.ts.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { upgradeWebSocket } from "hono/deno";
import { getSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { authorizeVisitor, selfOriginOf } from "../lib/channels/webchat.ts";
import type { AppDeps, AppEnv } from "../lib/http/context.ts";
import { AppError, badRequest, forbidden, unauthorized } from "../lib/http/errors.ts";
import { requestHost } from "../lib/http/middleware.ts";
import type { Identity } from "../lib/realtime/access.ts";
import { SocketSession } from "../lib/realtime/socket.ts";
import { type Agent, getAgent } from "../lib/store/agents.ts";

function requireUpgrade(c: Context<AppEnv>, deps: AppDeps): void {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw badRequest(
      "upgrade_required",
      "This is a WebSocket endpoint; connect with ws:// or wss://.",
    );
  }
  if (deps.realtime.hub.closing) {
    throw new AppError(409, "restarting", "The server is restarting; reconnect in a moment.");
  }
}

/** A staff member whose account is still active, or null. */
async function activeAgent(kv: Deno.Kv, agentId: string): Promise<Agent | null> {
  const agent = await getAgent(kv, agentId);
  return agent?.active ? agent : null;
}

export function wsRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, realtime } = deps;

  app.get("/ws/agent", async (c) => {
    requireUpgrade(c, deps);
    const token = getCookie(c, SESSION_COOKIE);
    const session = await getSession(kv, token);
    const agent = session ? await activeAgent(kv, session.agentId) : null;
    if (!agent) throw unauthorized();
    // Browsers always send Origin on WebSocket handshakes: refuse other sites (CSWSH).
    const origin = c.req.header("origin");
    if (origin !== undefined) {
      let host = "";
      try {
        host = new URL(origin).host;
      } catch { /* "null" or garbage */ }
      if (host !== requestHost(c)) throw forbidden("Cross-site WebSocket refused.");
    }
    const identity: Identity = {
      kind: "staff",
      agent,
      recheck: async () => (await getSession(kv, token)) ? await activeAgent(kv, agent.id) : null,
    };
    let ws: WebSocket | null = null;
    const s = new SocketSession(realtime, identity, {
      send: (data) => ws?.send(data),
      close: (code, reason) => ws?.close(code, reason),
      get bufferedAmount() {
        return ws?.bufferedAmount ?? 0;
      },
    });
    return await upgradeWebSocket(c, {
      onOpen: (_event, context) => {
        ws = context.raw as WebSocket;
        s.open();
      },
      onMessage: (event) => s.onMessage(event.data),
      onClose: () => s.onClose(),
      onError: () => s.onClose(),
    });
  });

  app.get("/ws/visitor", async (c) => {
    requireUpgrade(c, deps);
    const access = await authorizeVisitor(
      kv,
      c.req.query("token"),
      c.req.header("origin"),
      selfOriginOf(c.req.url, c.req.header("x-forwarded-host"), c.req.header("x-forwarded-proto")),
    );
    let ws: WebSocket | null = null;
    const s = new SocketSession(realtime, { kind: "visitor", access }, {
      send: (data) => ws?.send(data),
      close: (code, reason) => ws?.close(code, reason),
      get bufferedAmount() {
        return ws?.bufferedAmount ?? 0;
      },
    });
    return await upgradeWebSocket(c, {
      onOpen: (_event, context) => {
        ws = context.raw as WebSocket;
        s.open();
      },
      onMessage: (event) => s.onMessage(event.data),
      onClose: () => s.onClose(),
      onError: () => s.onClose(),
    });
  });
  return app;
}
