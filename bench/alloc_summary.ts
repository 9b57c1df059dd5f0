/**
 * What a Deno process allocates (garbage included), read from a V8 sampling
 * heap profile (bench/realtime/server.ts writes them with ALLOC_PROFILE_DIR):
 * `deno run -A bench/alloc_summary.ts FILE [MESSAGES]`.
 *
 * Memory that is allocated and dropped still costs RSS: it is what makes V8
 * grow its young generation and let the old one fill to a multiple of the
 * live data before collecting. So this prints, in MiB (and bytes per message
 * when MESSAGES, the messages of the round, is given):
 * - by allocating function (the frame that allocated);
 * - by the nearest frame of Parley's own code on the stack (lib/, routes/,
 *   not npm packages or Deno's), which says whose work it was;
 * - inclusive per Parley function (everything allocated under it).
 * TOP=N sets the rows printed (default 30).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

const ours = (url: string) =>
  url.startsWith("file://") && !url.includes("/node_modules/") && !url.includes("/.deno/");

function where(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(lib|routes|bench|components|islands)\//, "$1/")
    .replace(/^.*\/node_modules\/(\.deno\/)?/, "npm:").replace(/^ext:/, "ext:");
  return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
}

if (import.meta.main) {
  const [file, messagesArg] = Deno.args;
  if (!file) {
    console.error("usage: deno run -A bench/alloc_summary.ts FILE [MESSAGES]");
    Deno.exit(2);
  }
  const top = Number(Deno.env.get("TOP") ?? 30);
  const messages = Number(messagesArg) || 0;
  const head: ProfileNode = JSON.parse(await Deno.readTextFile(file)).head;
  const bySite = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  // Walk every path: each node's self size goes to its frame, its nearest Parley frame, and
  // (once per distinct function on the path) to every Parley function above it.
  const walk = (node: ProfileNode, owner: string, onPath: string[]) => {
    const site = where(node.callFrame);
    const isOurs = ours(node.callFrame.url);
    const nextOwner = isOurs ? site : owner;
    const path = isOurs && !onPath.includes(site) ? [...onPath, site] : onPath;
    const size = node.selfSize;
    if (size) {
      total += size;
      bySite.set(site, (bySite.get(site) ?? 0) + size);
      byOwner.set(nextOwner, (byOwner.get(nextOwner) ?? 0) + size);
      for (const fn of path) inclusive.set(fn, (inclusive.get(fn) ?? 0) + size);
    }
    for (const child of node.children) walk(child, nextOwner, path);
  };
  walk(head, "(no Parley frame: Deno, timers, the event loop)", []);
  const mb = (n: number) => (n / 1048576).toFixed(1).padStart(8);
  const per = (n: number) =>
    messages ? `${(n / messages / 1024).toFixed(1).padStart(7)} KiB/msg` : "";
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${mb(v)} MiB ${per(v)}  ${k}`);
    }
  };
  console.log(
    `${file}: ${mb(total).trim()} MiB allocated${
      messages ? `, ${(total / messages / 1024).toFixed(1)} KiB per message (${messages})` : ""
    }`,
  );
  print("by allocating function:", bySite);
  print("by the nearest Parley frame:", byOwner);
  print("inclusive, per Parley function:", inclusive);
}
