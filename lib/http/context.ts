/** The Hono context variables every middleware and route module may read. */
import type { Agent } from "../store/agents.ts";

export interface AppEnv {
  Variables: {
    /** The signed-in staff member, set by `loadSession`. */
    agent: Agent | null;
    /** The per-request CSP nonce for inline scripts. */
    nonce: string;
  };
}
