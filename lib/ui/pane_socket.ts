/**
 * The open conversation's WebSocket (`/ws/agent`, frames from
 * lib/realtime/protocol.ts): subscribes to the conversation after the last
 * seq the pane holds, appends live `message` frames, shows the customer's
 * typing, and sends the agent's own typing (throttled). Sends themselves go
 * over HTTP (lib/ui/actions.ts), which is idempotent by clientId; the socket
 * only makes the pane faster and shows typing. It reconnects with backoff and
 * resubscribes from the newest seq it has, so nothing is lost or doubled.
 */
// Types only: the frames are defined once in the protocol module, but its zod schemas would
// add ~90 KiB gzipped to the workspace bundle, so the browser checks the few fields it reads.
import type { Message } from "../domain/engine_types.ts";
import type { ClientFrame, ServerFrame } from "../realtime/protocol.ts";
import { toUiMessage } from "./model.ts";
import type { WorkspaceStore } from "./state.ts";

let socket: WebSocket | null = null;
let subscribed: string | null = null;
let store: WorkspaceStore | null = null;
let retryMs = 1000;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

function send(frame: ClientFrame): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function lastSeq(): number {
  const msgs = store?.open.value?.messages ?? [];
  return msgs.reduce((n, m) => Math.max(n, m.seq), 0);
}

function subscribeOpen(): void {
  const id = store?.open.value?.id ?? null;
  if (subscribed && subscribed !== id) send({ type: "unsubscribe", conversationId: subscribed });
  subscribed = id;
  if (id) send({ type: "subscribe", conversationId: id, afterSeq: lastSeq() });
}

function onFrame(ev: MessageEvent): void {
  if (!store) return;
  let frame: ServerFrame;
  try {
    frame = JSON.parse(ev.data);
  } catch {
    return;
  }
  if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return;
  if (frame.type === "message" && typeof frame.message?.seq !== "number") return;
  const open = store.open.value;
  // A `reset` (our afterSeq was beyond the server's log) needs nothing here: the whole log
  // follows, and each entry replaces the one with its seq.
  if (frame.type === "message" && open && frame.conversationId === open.id) {
    // On /ws/agent a `message` frame carries the engine's staff record (docs/api.md).
    const m = toUiMessage(frame.message as unknown as Message);
    const others = open.messages.filter((x) =>
      x.seq !== m.seq && !(m.clientId && x.clientId === m.clientId)
    );
    const confirmed = others.filter((x) => x.seq > 0);
    const local = others.filter((x) => x.seq === 0);
    store.open.value = {
      ...open,
      messages: [...confirmed, m].sort((a, b) => a.seq - b.seq).concat(local),
    };
    if (m.author === "customer") store.customerTyping.value = false;
  } else if (frame.type === "typing" && open && frame.conversationId === open.id) {
    if (frame.from?.kind === "visitor") {
      store.customerTyping.value = frame.typing;
      clearTimeout(typingTimer);
      if (frame.typing) typingTimer = setTimeout(() => store!.customerTyping.value = false, 6000);
    }
  }
}

/** Opens the socket (once) and keeps it subscribed to the open conversation. */
export function startPaneSocket(s: WorkspaceStore): void {
  if (store || typeof WebSocket === "undefined") return;
  store = s;
  const connect = () => {
    const url = new URL("/ws/agent", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 1000;
      subscribed = null;
      subscribeOpen();
    };
    ws.onmessage = onFrame;
    ws.onclose = () => {
      socket = null;
      subscribed = null;
      setTimeout(connect, retryMs + Math.random() * 500);
      retryMs = Math.min(retryMs * 2, 15_000);
    };
  };
  connect();
  let current = s.open.peek()?.id ?? null;
  s.open.subscribe((conv) => {
    if ((conv?.id ?? null) !== current) {
      current = conv?.id ?? null;
      subscribeOpen();
    }
  });
}

let lastTypingSent = 0;
/** Tells the customer the agent is typing (at most every 2 s) or stopped. */
export function notifyTyping(conversationId: string, typing: boolean): void {
  const now = Date.now();
  if (typing && now - lastTypingSent < 2000) return;
  lastTypingSent = typing ? now : 0;
  send({ type: "typing", conversationId, typing });
}
