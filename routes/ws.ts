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
import { getSignedInAgent, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { authorizeVisitor } from "../lib/channels/webchat.ts";
import { ownOrigin } from "../lib/domain/boundary.ts";
import type { AppDeps } from "../lib/app_deps.ts";
import type { AppEnv } from "../lib/http/context.ts";
import { AppError, badRequest, forbidden, unauthorized } from "../lib/errors.ts";
import { originIsOurs } from "../lib/http/middleware.ts";
import type { Identity } from "../lib/realtime/access.ts";
import { SocketSession } from "../lib/realtime/socket.ts";

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

/** Upgrades the request and hands the socket to a protocol session for `identity`. */
async function upgradeToSession(c: Context<AppEnv>, deps: AppDeps, identity: Identity) {
  let ws: WebSocket | null = null;
  const session = new SocketSession(deps.realtime, identity, {
    send: (data) => ws?.send(data),
    close: (code, reason) => ws?.close(code, reason),
    get bufferedAmount() {
      return ws?.bufferedAmount ?? 0;
    },
  });
  return await upgradeWebSocket(c, {
    onOpen: (_event, context) => {
      ws = context.raw as WebSocket;
      session.open();
    },
    onMessage: (event) => session.onMessage(event.data),
    onClose: () => session.onClose(),
    onError: () => session.onClose(),
  });
}

export function wsRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { kv, engine } = deps;

  app.get("/ws/agent", async (c) => {
    requireUpgrade(c, deps);
    const token = getCookie(c, SESSION_COOKIE);
    const agent = await getSignedInAgent(kv, token);
    if (!agent) throw unauthorized();
    // Browsers always send Origin on WebSocket handshakes: refuse other sites (CSWSH).
    if (!originIsOurs(c)) throw forbidden("Cross-site WebSocket refused.");
    return await upgradeToSession(c, deps, {
      kind: "staff",
      agent,
      recheck: () => getSignedInAgent(kv, token),
    });
  });

  app.get("/ws/visitor", async (c) => {
    requireUpgrade(c, deps);
    // Read now: the request is gone once the socket is open.
    const token = c.req.query("token");
    const origin = c.req.header("origin");
    const selfOrigin = ownOrigin(c.req.raw);
    const authorize = () => authorizeVisitor(engine, token, origin, selfOrigin);
    const access = await authorize();
    return await upgradeToSession(c, deps, {
      kind: "visitor",
      access,
      // The site may be deleted or stop allowing the page's origin while the socket is open.
      recheck: () => authorize().catch(() => null),
    });
  });
  return app;
}
