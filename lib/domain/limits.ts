/**
 * The bounds of what crosses Parley's boundary (HTTP bodies, form posts,
 * socket frames, engine inputs), as plain numbers. Zod-free on purpose: the
 * browser code uses them too (the widget, whose 8 KB budget has no room for
 * zod, and the islands). The schemas built on them live in boundary.ts.
 */

/** Longest message text, in characters (WhatsApp's own limit; every channel uses it). */
export const MAX_TEXT_CHARS = 4096;

/** Longest `clientId` a sender may give a message (WhatsApp uses the wamid, up to 200). */
export const MAX_CLIENT_ID_CHARS = 200;

/** How many chats at once an agent may hold: its own max chats and the global setting. */
export const MAX_CHATS = { min: 1, max: 100 } as const;
