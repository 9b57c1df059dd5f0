/**
 * Baseline for bench:realtime: a bare Deno WebSocket relay, no KV, no
 * validation. `/agent/:id` sockets receive `{conv, text}` from their
 * visitors; `/visitor/:conv?agent=ID` sockets receive the agent's answers.
 * Prints `READY <url>`.
 */
const agents = new Map<string, WebSocket>();
const visitors = new Map<string, WebSocket>();

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
  const url = new URL(req.url);
  const [, kind, id] = url.pathname.split("/");
  const agentId = url.searchParams.get("agent") ?? "";
  const { socket, response } = Deno.upgradeWebSocket(req);
  if (kind === "agent") {
    agents.set(id, socket);
    socket.onmessage = (e) => {
      const f = JSON.parse(e.data);
      visitors.get(f.conv)?.send(JSON.stringify({ text: f.text }));
    };
  } else {
    visitors.set(id, socket);
    socket.onmessage = (e) => {
      const f = JSON.parse(e.data);
      agents.get(agentId)?.send(JSON.stringify({ conv: id, text: f.text }));
    };
  }
  return response;
});
console.log(`READY http://127.0.0.1:${server.addr.port}`);
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
