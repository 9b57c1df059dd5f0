import type { ComponentType } from "preact";

/**
 * Renders an island on the server: its HTML now, and its name and JSON props
 * for `lib/http/island_client.ts` to hydrate in the browser. Props must be
 * JSON-serialisable.
 *
 * @example <Island name="StatusSwitcher" component={StatusSwitcher} props={{ status }} />
 */
export function Island<P extends Record<string, unknown>>(
  { name, component: Component, props }: { name: string; component: ComponentType<P>; props: P },
) {
  return (
    <div data-island={name} data-props={JSON.stringify(props)} class="contents">
      <Component {...props} />
    </div>
  );
}
