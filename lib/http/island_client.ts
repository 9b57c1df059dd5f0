/**
 * The browser side of the island runtime: finds every `[data-island]` element
 * the server rendered and hydrates it with its component and JSON props. All
 * islands share one bundle, so signals in shared modules are shared too.
 */
import { h, hydrate } from "preact";
import { islands } from "../../islands.gen.ts";

export function hydrateIslands(root: ParentNode = document): void {
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

if (typeof document !== "undefined") hydrateIslands();
