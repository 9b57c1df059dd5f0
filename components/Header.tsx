import type { ComponentChildren } from "preact";
import type { PublicAgent } from "../lib/store/agents.ts";

const ROLE_LABEL = { agent: "Agent", supervisor: "Supervisor", admin: "Admin" } as const;

/** The workspace header: who is signed in, slots for live controls, and sign-out. */
export function Header({ agent, children }: { agent: PublicAgent; children?: ComponentChildren }) {
  return (
    <header class="flex flex-wrap items-center gap-3 px-4 py-2 bg-white border-b border-gray-200">
      <span class="font-semibold text-brand-600">Parley</span>
      <div class="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 ml-auto">
        {children}
        <p class="text-sm whitespace-nowrap">
          <span class="font-medium" data-testid="agent-name">{agent.name}</span>{" "}
          <span class="text-gray-600">({ROLE_LABEL[agent.role]})</span>
        </p>
        {agent.role === "admin" && (
          <a href="/admin" class="text-sm underline text-brand-700">Admin</a>
        )}
        <form method="post" action="/logout">
          <button
            type="submit"
            class="text-sm border border-gray-300 rounded px-3 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}
