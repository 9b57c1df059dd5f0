/**
 * The shape every catalog has: the English catalog's keys, each a string or a
 * plural (`Intl.PluralRules` categories; `other` always). Kept apart from the
 * catalogs so each imports only this.
 */
import type { en } from "./en.ts";
import type { enAdmin } from "./en_admin.ts";

/** A message whose words depend on a count: `{ one: "1 chat", other: "{count} chats" }`. */
export interface Plural {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/** Every key of the English catalog: `t()` takes only these. */
export type MessageKey = keyof typeof en;

/** A catalog: every English key, with a string where English has one and a plural where it has one. */
export type Messages = { [K in MessageKey]: (typeof en)[K] extends string ? string : Plural };

/** The admin console's and setup page's part of a catalog (./en_admin.ts). */
export type AdminMessages = Pick<Messages, keyof typeof enAdmin>;
