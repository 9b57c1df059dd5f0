/** The widget's words: English here, in the first paint; the other languages are in ./words.ts. */
const en = {
  open: "Open chat",
  close: "Close chat",
  unread: "unread",
  label: "Message",
  ph: "Write a message…",
  send: "Send",
  sending: "Sending…",
  failed: "Not sent.",
  retry: "Retry",
  wait: "Waiting for an agent…",
  with: "You are chatting with {n}.",
  typing: "{n} is typing…",
  joined: "{n} joined the chat.",
  closed: "This conversation is closed.",
  again: "Start a new conversation",
  offline: "You are offline. Messages will be sent when you are back.",
  msgs: "Messages",
  dl: "Download transcript",
};
export type Words = typeof en & { lang?: string };

/**
 * The words for `lang`: English, with `more` over it (the visitor's language,
 * which widget.js loads from /widget-more.js before the chat shows: ./words.ts).
 */
export function words(lang: string | undefined, more?: Partial<Words>): Words {
  return { ...en, ...more, lang };
}

/** Fills `{n}` in a phrase. */
export function fill(phrase: string, n: string | number): string {
  return phrase.replace("{n}", String(n));
}
