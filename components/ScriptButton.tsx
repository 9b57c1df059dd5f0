import type { ComponentChildren, JSX, Ref } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * A button that only works once its island runs (it opens a picker, a file
 * chooser…): before hydration (server-rendered, scripts still loading, or
 * off) it says so instead of ignoring presses. It is `aria-disabled` (still
 * focusable, so a keyboard or screen-reader user finds it and hears why),
 * dimmed, with `waiting` as its description and tooltip; hydration makes it
 * live. `id` names the description (unique on the page); `buttonRef` is the
 * button's ref (a function component's `ref` would not reach it).
 */
export function ScriptButton(
  { id, waiting, onClick, class: cls, children, buttonRef, ...rest }:
    & Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, "id" | "type" | "ref">
    & {
      id: string;
      waiting: string;
      children: ComponentChildren;
      buttonRef?: Ref<HTMLButtonElement>;
    },
) {
  // False in the server's HTML and the hydrating render; true once this runs in the browser.
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);
  const waitId = `${id}-waiting`;
  return (
    <>
      <button
        {...rest}
        ref={buttonRef}
        type="button"
        aria-disabled={live ? undefined : "true"}
        aria-describedby={live ? undefined : waitId}
        title={live ? undefined : waiting}
        onClick={(e) => live && onClick?.(e)}
        class={`${cls ?? ""}${live ? "" : " opacity-50 cursor-not-allowed"}`}
      >
        {children}
      </button>
      {!live && <span id={waitId} class="sr-only">{waiting}</span>}
    </>
  );
}
