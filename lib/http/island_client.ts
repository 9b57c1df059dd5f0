/**
 * The browser side of the island runtime: finds every `[data-island]` element
 * the server rendered and hydrates it with its component and JSON props. The
 * bundle's entry is the generated registry, islands.gen.ts, which calls this
 * with every island (so lib/ imports no island). All islands share one bundle,
 * so signals in shared modules are shared too.
 */
import { type ComponentType, h, hydrate } from "preact";

// deno-lint-ignore no-explicit-any
export type IslandRegistry = Record<string, ComponentType<any>>;

export function hydrateIslands(islands: IslandRegistry, root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-island]")) {
    const component = islands[el.dataset.island ?? ""];
    if (!component) {
      console.warn(`Unknown island: ${el.dataset.island}`);
      continue;
    }
    const props = JSON.parse(el.dataset.props ?? "{}");
    hydrate(h(component, props), el);
  }
}
