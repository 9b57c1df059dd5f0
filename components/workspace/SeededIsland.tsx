import type { ComponentType } from "preact";
import type { WorkspaceSeed } from "../../lib/ui/state.ts";

/**
 * Renders a workspace island on the server from the page's seed, without
 * copying the seed into its props: the browser side reads the seed once from
 * the `#workspace-seed` JSON script ({@link WorkspaceSeedScript}) and every
 * island shares the one store built from it (lib/ui/state.ts).
 */
export function SeededIsland(
  { name, component: Component, seed }: {
    name: string;
    component: ComponentType<{ seed?: WorkspaceSeed }>;
    seed: WorkspaceSeed;
  },
) {
  return (
    <div data-island={name} data-props="{}" class="contents">
      <Component seed={seed} />
    </div>
  );
}

/** The seed as inert JSON (`<` escaped so no text in it can close the script element). */
export function WorkspaceSeedScript({ seed }: { seed: WorkspaceSeed }) {
  const json = JSON.stringify(seed).replace(/</g, "\\u003c");
  return (
    <script
      type="application/json"
      id="workspace-seed"
      dangerouslySetInnerHTML={{ __html: json }}
    />
  );
}
