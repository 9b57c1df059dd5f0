/**
 * A TCP proxy on 127.0.0.1 for tests that need a real dropped connection:
 * `cut()` closes every open connection and refuses new ones (accept, close)
 * until `restore()`. The browser talks to the proxy; the server never knows.
 *
 * @example
 * const proxy = startTcpProxy(app.port);
 * await page.goto(proxy.url + "/");
 * proxy.cut(); ... proxy.restore();
 */
export interface TcpProxy {
  url: string;
  port: number;
  cut(): void;
  restore(): void;
  close(): void;
}

export function startTcpProxy(targetPort: number): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const open = new Set<Deno.Conn>();
  let down = false;
  const closeQuietly = (c: Deno.Conn) => {
    try {
      c.close();
    } catch { /* already closed */ }
    open.delete(c);
  };
  (async () => {
    for await (const client of listener) {
      if (down) {
        closeQuietly(client);
        continue;
      }
      let upstream: Deno.Conn;
      try {
        upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
      } catch {
        closeQuietly(client);
        continue;
      }
      open.add(client);
      open.add(upstream);
      const done = () => {
        closeQuietly(client);
        closeQuietly(upstream);
      };
      client.readable.pipeTo(upstream.writable, { preventClose: true }).catch(() => {}).finally(
        done,
      );
      upstream.readable.pipeTo(client.writable, { preventClose: true }).catch(() => {}).finally(
        done,
      );
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      down = true;
      for (const c of [...open]) closeQuietly(c);
    },
    restore() {
      down = false;
    },
    close() {
      down = true;
      for (const c of [...open]) closeQuietly(c);
      try {
        listener.close();
      } catch { /* closed */ }
    },
  };
}
