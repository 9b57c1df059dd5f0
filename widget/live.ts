/**
 * The widget's live socket to `/ws/visitor`: one connection at a time,
 * reconnected with exponential backoff and jitter after a drop. The chat
 * decides when to connect (while a conversation is open) and what to
 * subscribe to; this module only keeps the socket.
 */
import { backoff } from "./backoff.ts";

export interface Live {
  /** True while the socket is open. */
  up(): boolean;
  /** Connects unless connected, connecting, or still backing off after a drop. */
  ensure(): void;
  /** Sends a frame when open (frames are JSON objects); false when not sent. */
  send(frame: object): boolean;
}

export function createLive(
  url: () => string,
  onOpen: () => void,
  onFrame: (data: unknown) => void,
): Live {
  let ws: WebSocket | null = null;
  let open = false;
  let tries = 0;
  let notBefore = 0;
  const retryLater = () => (notBefore = Date.now() + backoff(tries++));
  return {
    up: () => open,
    ensure() {
      if (ws || Date.now() < notBefore) return;
      let s: WebSocket;
      try {
        s = new WebSocket(url());
      } catch {
        retryLater();
        return;
      }
      ws = s;
      s.onopen = () => {
        open = true;
        tries = 0;
        onOpen();
      };
      s.onmessage = (e) => onFrame(e.data);
      s.onclose = () => {
        if (ws !== s) return;
        ws = null;
        open = false;
        retryLater();
      };
    },
    send(frame) {
      if (!ws || !open) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
  };
}
