/** The Hono context variables every middleware and route module may read. */
import type { Agent } from "../store/agents.ts";
import type { ApiKey } from "../store/api_keys.ts";

export interface AppEnv {
  Variables: {
    /** The signed-in staff member, set by `loadSession`. */
    agent: Agent | null;
    /** The integration's API key when the request came with one (lib/http/api_key_auth.ts). */
    apiKey?: ApiKey;
    /** The per-request CSP nonce for inline scripts. */
    nonce: string;
  };
}
