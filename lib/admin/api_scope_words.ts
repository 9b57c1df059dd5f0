/**
 * What the admin console calls each API key scope, in the page's language
 * (the API and the audit entries keep the codes). Used by the API keys page
 * and the audit log.
 */
import type { ApiScope } from "../store/api_keys.ts";
import { currentLocale, type Locale, type MessageKey, translate } from "../i18n/mod.ts";

const SCOPE_WORDS: Record<ApiScope, MessageKey> = {
  "conversations:read": "admin.apiKeys.scope.conversationsRead",
  "messages:write": "admin.apiKeys.scope.messagesWrite",
  "contacts:manage": "admin.apiKeys.scope.contactsManage",
};

/** "conversations:read" → "Read conversations"; an unknown code stays as it is. */
export function apiScopeInWords(scope: string, locale: Locale = currentLocale()): string {
  const key = SCOPE_WORDS[scope as ApiScope];
  return key ? translate(locale, key) : scope;
}
