/**
 * English: the source catalog. Its keys are the `MessageKey` type; es.ts and
 * pt.ts must have every one (deno check fails otherwise). Keys are grouped by
 * the screen that shows them: `header.*`, `status.*`, `list.*`, `pane.*`, …
 * `{name}` placeholders are filled by `t(key, { name })`; a plural is an object
 * of `Intl.PluralRules` categories picked by `count`.
 */
export const en = {
  "app.name": "Parley",
  "role.agent": "Agent",
  "role.supervisor": "Supervisor",
  "role.admin": "Admin",
  "header.admin": "Admin",
  "header.reports": "Reports",
  "header.dashboard": "Dashboard",
  "header.signOut": "Sign out",
  "header.language": "Language",
  "header.set": "Set",
  "status.label": "Status",
  "status.online": "Online",
  "status.busy": "Busy",
  "status.offline": "Offline",
  "status.online.means": "takes new chats",
  "status.busy.means": "no new chats",
  "status.offline.means": "unavailable",
  "status.offlineAsk": {
    one: "Going Offline sends your active chat back to the queue for other agents.",
    other: "Going Offline sends your {count} active chats back to the queue for other agents.",
  },
  "status.goOffline": "Go Offline",
  "status.keepChats": "Keep my chats",
  "header.sound": "Sound",
  "header.soundOn": ": on",
  "header.soundOff": ": off",
  "connection.label": "Connection:",
  "connection.connecting": "Connecting…",
  "connection.live": "Live",
  "connection.reconnecting": "Reconnecting…",
  "connection.offline": "Offline",
  "header.allowNotifications": "Allow notifications",
  "header.languageFailed": "Not saved. Try again.",
  "header.setLanguage": "Change language",
};
