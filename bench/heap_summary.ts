/**
 * What holds a Deno process's memory, read from a V8 heap snapshot (written by
 * bench/realtime/server.ts with HEAP_SNAPSHOT_DIR, or `v8.writeHeapSnapshot()`)
 * without DevTools: `deno run -A bench/heap_summary.ts FILE [BEFORE_FILE]`.
 *
 * Prints, per constructor (objects by class name, other nodes by V8 kind):
 * count, shallow size, and retained size (what would be freed with them: the
 * dominator tree, counting only the outermost of nested same-class nodes);
 * then the largest single retainers with the chain of owners that keeps each
 * alive. With BEFORE_FILE, the per-constructor growth from it is printed too.
 * TOP=N sets the rows printed (default 40). FOCUS=Name (a constructor) adds
 * what the instances of Name hold (their dominator subtrees, by constructor)
 * and who refers to them (the edges into them, by owner and edge name).
 */

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[]];
      edge_fields: string[];
      edge_types: [string[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A parsed heap graph: flat arrays, as in the file, plus first-edge offsets. */
export class Heap {
  readonly count: number;
  readonly type: Uint8Array;
  readonly name: Uint32Array;
  readonly selfSize: Float64Array;
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly nodeTypes: string[];
  readonly edgeTypes: string[];
  readonly strings: string[];

  constructor(raw: Snapshot) {
    const meta = raw.snapshot.meta;
    const nf = meta.node_fields.length;
    const ef = meta.edge_fields.length;
    const at = (fields: string[], f: string) => fields.indexOf(f);
    const [nType, nName, nSelf, nEdges] = ["type", "name", "self_size", "edge_count"].map((f) =>
      at(meta.node_fields, f)
    );
    const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) =>
      at(meta.edge_fields, f)
    );
    this.nodeTypes = meta.node_types[0];
    this.edgeTypes = meta.edge_types[0];
    this.strings = raw.strings;
    this.count = raw.nodes.length / nf;
    this.type = new Uint8Array(this.count);
    this.name = new Uint32Array(this.count);
    this.selfSize = new Float64Array(this.count);
    this.firstEdge = new Uint32Array(this.count + 1);
    let e = 0;
    for (let i = 0; i < this.count; i++) {
      const o = i * nf;
      this.type[i] = raw.nodes[o + nType];
      this.name[i] = raw.nodes[o + nName];
      this.selfSize[i] = raw.nodes[o + nSelf];
      this.firstEdge[i] = e;
      e += raw.nodes[o + nEdges];
    }
    this.firstEdge[this.count] = e;
    const edges = raw.edges.length / ef;
    this.edgeType = new Uint8Array(edges);
    this.edgeName = new Uint32Array(edges);
    this.edgeTo = new Uint32Array(edges);
    for (let j = 0; j < edges; j++) {
      this.edgeType[j] = raw.edges[j * ef + eType];
      this.edgeName[j] = raw.edges[j * ef + eName];
      this.edgeTo[j] = raw.edges[j * ef + eTo] / nf;
    }
  }

  /** The class name of an object, or "(kind)" / "(kind) name" for the rest. */
  label(i: number): string {
    const kind = this.nodeTypes[this.type[i]];
    const name = this.strings[this.name[i]];
    if (kind === "object" || kind === "native") return name;
    if (kind === "closure") return `(closure) ${name || "anonymous"}`;
    if (kind === "hidden" || kind === "synthetic" || kind === "array" || kind === "code") {
      return `(${kind}) ${name.slice(0, 40)}`;
    }
    return `(${kind})`;
  }

  edgeLabel(j: number): string {
    const t = this.edgeTypes[this.edgeType[j]];
    return t === "element" || t === "hidden"
      ? `[${this.edgeName[j]}]`
      : this.strings[this.edgeName[j]];
  }

  isWeak(j: number): boolean {
    return this.edgeTypes[this.edgeType[j]] === "weak";
  }
}

/**
 * Immediate dominators from node 0 (the snapshot's root), ignoring weak edges:
 * the iterative algorithm of Cooper, Harvey and Kennedy over a reverse postorder.
 * Returns idom (unreachable nodes point at themselves) and the postorder.
 */
function dominators(h: Heap): { idom: Uint32Array; order: Uint32Array; reached: number } {
  const n = h.count;
  const post = new Uint32Array(n); // node → postorder index
  const order = new Uint32Array(n); // postorder index → node
  const seen = new Uint8Array(n);
  const stack = new Uint32Array(n);
  const edgeAt = new Uint32Array(n);
  let top = 0;
  let k = 0;
  stack[top++] = 0;
  seen[0] = 1;
  edgeAt[0] = h.firstEdge[0];
  while (top) {
    const v = stack[top - 1];
    let pushed = false;
    while (edgeAt[v] < h.firstEdge[v + 1]) {
      const j = edgeAt[v]++;
      if (h.isWeak(j)) continue;
      const w = h.edgeTo[j];
      if (!seen[w]) {
        seen[w] = 1;
        edgeAt[w] = h.firstEdge[w];
        stack[top++] = w;
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      top--;
      post[v] = k;
      order[k++] = v;
    }
  }
  // Predecessors (non-weak) of reached nodes.
  const predCount = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    for (let j = h.firstEdge[v]; j < h.firstEdge[v + 1]; j++) {
      if (!h.isWeak(j)) predCount[h.edgeTo[j] + 1]++;
    }
  }
  for (let v = 0; v < n; v++) predCount[v + 1] += predCount[v];
  const preds = new Uint32Array(predCount[n]);
  const fill = predCount.slice(0, n);
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    for (let j = h.firstEdge[v]; j < h.firstEdge[v + 1]; j++) {
      if (!h.isWeak(j)) preds[fill[h.edgeTo[j]]++] = v;
    }
  }
  const UNDEF = 0xffffffff;
  const idom = new Uint32Array(n).fill(UNDEF);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (post[a] < post[b]) a = idom[a];
      while (post[b] < post[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = k - 2; i >= 0; i--) { // reverse postorder, the root (k - 1) excluded
      const v = order[i];
      let d = UNDEF;
      for (let p = predCount[v]; p < predCount[v + 1]; p++) {
        const u = preds[p];
        if (idom[u] === UNDEF) continue;
        d = d === UNDEF ? u : intersect(u, d);
      }
      if (d !== UNDEF && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  for (let v = 0; v < n; v++) if (idom[v] === UNDEF) idom[v] = v;
  return { idom, order: order.slice(0, k), reached: k };
}

interface Row {
  count: number;
  self: number;
  retained: number;
}

/** Per-label counts, shallow and retained sizes, and each node's retained size. */
export function summarize(h: Heap) {
  const { idom, order } = dominators(h);
  const retained = Float64Array.from(h.selfSize);
  for (const v of order) if (v !== 0) retained[idom[v]] += retained[v];
  // Retained per label counts a node only when no dominator above it has the same label.
  const labels = new Map<string, number>();
  const labelOf = new Uint32Array(h.count);
  const labelNames: string[] = [];
  for (let v = 0; v < h.count; v++) {
    const l = h.label(v);
    let id = labels.get(l);
    if (id === undefined) {
      id = labelNames.length;
      labels.set(l, id);
      labelNames.push(l);
    }
    labelOf[v] = id;
  }
  // Children lists of the dominator tree, walked from the root with a per-label depth counter.
  const childCount = new Uint32Array(h.count + 1);
  for (const v of order) if (v !== 0) childCount[idom[v] + 1]++;
  for (let v = 0; v < h.count; v++) childCount[v + 1] += childCount[v];
  const children = new Uint32Array(childCount[h.count]);
  const fill = childCount.slice(0, h.count);
  for (const v of order) if (v !== 0) children[fill[idom[v]]++] = v;
  const rows = labelNames.map((): Row => ({ count: 0, self: 0, retained: 0 }));
  const open = new Uint32Array(labelNames.length);
  const stack: number[] = [0];
  const leaving: boolean[] = [false];
  while (stack.length) {
    const v = stack.pop()!;
    const l = labelOf[v];
    if (leaving.pop()) {
      open[l]--;
      continue;
    }
    const row = rows[l];
    row.count++;
    row.self += h.selfSize[v];
    if (open[l] === 0) row.retained += retained[v];
    open[l]++;
    stack.push(v);
    leaving.push(true);
    for (let c = childCount[v]; c < childCount[v + 1]; c++) {
      stack.push(children[c]);
      leaving.push(false);
    }
  }
  return {
    rows: new Map(labelNames.map((l, i) => [l, rows[i]])),
    retained,
    idom,
    children: (v: number) => children.subarray(childCount[v], childCount[v + 1]),
  };
}

const mb = (n: number) => (n / 1048576).toFixed(2).padStart(8);

function chain(h: Heap, idom: Uint32Array, v: number): string {
  const parts: string[] = [];
  for (let guard = 0; v !== 0 && guard < 12; guard++) {
    const d = idom[v];
    // Name the edge from the dominator when there is a direct one.
    let via = "";
    for (let j = h.firstEdge[d]; j < h.firstEdge[d + 1]; j++) {
      if (h.edgeTo[j] === v) {
        via = h.edgeLabel(j);
        break;
      }
    }
    parts.push(`${h.label(v).slice(0, 50)}${via ? ` (.${via.slice(0, 30)})` : ""}`);
    v = d;
  }
  return parts.join(" ← ");
}

export async function load(path: string): Promise<Heap> {
  return new Heap(JSON.parse(await Deno.readTextFile(path)));
}

if (import.meta.main) {
  const [file, before] = Deno.args;
  if (!file) {
    console.error("usage: deno run -A bench/heap_summary.ts FILE [BEFORE_FILE]");
    Deno.exit(2);
  }
  const top = Number(Deno.env.get("TOP") ?? 40);
  const h = await load(file);
  const { rows, retained, idom } = summarize(h);
  const total = h.selfSize.reduce((a, b) => a + b, 0);
  console.log(`${file}: ${h.count} nodes, ${mb(total).trim()} MiB in all\n`);
  console.log("retained MiB    self MiB     count  constructor");
  const sorted = [...rows].sort((a, b) => b[1].retained - a[1].retained);
  for (const [label, r] of sorted.slice(0, top)) {
    console.log(`${mb(r.retained)}    ${mb(r.self)}  ${String(r.count).padStart(8)}  ${label}`);
  }
  console.log("\nby shallow size:");
  for (const [label, r] of [...rows].sort((a, b) => b[1].self - a[1].self).slice(0, top)) {
    console.log(`${mb(r.self)} MiB  ${String(r.count).padStart(8)}  ${label}`);
  }
  console.log("\nlargest single retainers (what keeps each alive, nearest owner first):");
  const nodes = [...retained.keys()].filter((v) =>
    v !== 0 && h.nodeTypes[h.type[v]] !== "synthetic"
  )
    .sort((a, b) => retained[b] - retained[a]).slice(0, top);
  for (const v of nodes) console.log(`${mb(retained[v])} MiB  ${chain(h, idom, v)}`);
  const focus = Deno.env.get("FOCUS");
  if (focus) {
    const { children } = summarize(h);
    const held = new Map<string, Row>();
    const referrers = new Map<string, number>();
    let instances = 0;
    for (let v = 0; v < h.count; v++) {
      if (h.label(v) !== focus) continue;
      instances++;
      const stack = [...children(v)];
      while (stack.length) {
        const w = stack.pop()!;
        const row = held.get(h.label(w)) ?? { count: 0, self: 0, retained: 0 };
        row.count++;
        row.self += h.selfSize[w];
        held.set(h.label(w), row);
        stack.push(...children(w));
      }
    }
    for (let u = 0; u < h.count; u++) {
      for (let j = h.firstEdge[u]; j < h.firstEdge[u + 1]; j++) {
        if (h.label(h.edgeTo[j]) !== focus) continue;
        const key = `${h.label(u).slice(0, 50)} .${h.edgeLabel(j).slice(0, 30)}`;
        referrers.set(key, (referrers.get(key) ?? 0) + 1);
      }
    }
    console.log(`\n${instances} × ${focus} hold (dominated, shallow MiB, count):`);
    for (const [label, r] of [...held].sort((a, b) => b[1].self - a[1].self).slice(0, top)) {
      console.log(`${mb(r.self)} MiB  ${String(r.count).padStart(8)}  ${label}`);
    }
    console.log(`\nreferred to by (owner .edge: count):`);
    for (const [key, n] of [...referrers].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${String(n).padStart(8)}  ${key}`);
    }
  }
  if (before) {
    const b = summarize(await load(before)).rows;
    console.log(`\ngrowth since ${before} (shallow MiB, count):`);
    const growth = [...rows].map(([label, r]) => {
      const o = b.get(label) ?? { count: 0, self: 0, retained: 0 };
      return { label, self: r.self - o.self, count: r.count - o.count };
    }).sort((x, y) => y.self - x.self).slice(0, top);
    for (const g of growth) {
      console.log(`${mb(g.self)} MiB  ${String(g.count).padStart(8)}  ${g.label}`);
    }
  }
}
