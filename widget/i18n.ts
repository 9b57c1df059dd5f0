/** The widget's words, per language (`data-lang`); English fills any gap. */
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

const other: Record<string, Partial<Words>> = {
  de: {
    open: "Chat öffnen",
    close: "Chat schließen",
    label: "Nachricht",
    ph: "Nachricht schreiben…",
    send: "Senden",
    sending: "Wird gesendet…",
    failed: "Nicht gesendet.",
    retry: "Erneut senden",
    wait: "Warten auf einen Mitarbeiter…",
    with: "Sie chatten mit {n}.",
    typing: "{n} schreibt…",
    joined: "{n} ist dem Chat beigetreten.",
    closed: "Dieses Gespräch ist beendet.",
    again: "Neues Gespräch beginnen",
    offline: "Offline. Nachrichten werden gesendet, sobald Sie wieder online sind.",
    unread: "ungelesen",
    msgs: "Nachrichten",
    dl: "Verlauf herunterladen",
  },
  es: {
    open: "Abrir chat",
    close: "Cerrar chat",
    label: "Mensaje",
    ph: "Escribe un mensaje…",
    send: "Enviar",
    sending: "Enviando…",
    failed: "No enviado.",
    retry: "Reintentar",
    wait: "Esperando a un agente…",
    with: "Estás hablando con {n}.",
    typing: "{n} está escribiendo…",
    joined: "{n} se unió al chat.",
    closed: "Esta conversación está cerrada.",
    again: "Iniciar una nueva conversación",
    offline: "Sin conexión. Los mensajes se enviarán al volver.",
    unread: "sin leer",
    msgs: "Mensajes",
    dl: "Descargar conversación",
  },
};

/** The words for `lang` (e.g. "de", "es-MX"), English for anything missing. */
export function words(lang: string | undefined): Words {
  return { ...en, ...other[(lang ?? "").slice(0, 2).toLowerCase()], lang };
}

/** Fills `{n}` in a phrase. */
export function fill(phrase: string, n: string | number): string {
  return phrase.replace("{n}", String(n));
}
