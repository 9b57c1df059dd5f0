/**
 * The client side of bench:connections, in its own process (open-file limit):
 * opens one visitor WebSocket per token in the file given as the first
 * argument, waits for each `hello`, prints `OPEN <n> <failed>`, and then stays
 * idle until it is terminated.
 */
const [tokensFile, base] = Deno.args;
const tokens: string[] = JSON.parse(await Deno.readTextFile(tokensFile));
const sockets: WebSocket[] = [];
let failed = 0;
let next = 0;
await Promise.all(Array.from({ length: 100 }, async () => {
  while (next < tokens.length) {
    const token = tokens[next++];
    try {
      const ws = new WebSocket(`${base}/ws/visitor?token=${encodeURIComponent(token)}`);
      await new Promise<void>((resolve, reject) => {
        ws.onmessage = (e) => {
          if (String(e.data).includes('"hello"')) resolve();
        };
        ws.onerror = () => reject(new Error("failed"));
        ws.onclose = () => reject(new Error("closed"));
      });
      ws.onmessage = null;
      sockets.push(ws);
    } catch {
      failed++;
    }
  }
}));
console.log(`OPEN ${sockets.length} ${failed}`);
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
setInterval(() => {}, 1 << 30); // stay alive, idle
