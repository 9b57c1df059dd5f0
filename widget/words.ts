/**
 * The widget's words in the languages other than English, shipped in
 * `/widget-more.js` (not in widget.js, whose first paint is within 8 KB): a
 * visitor whose language is one of these gets them before the chat shows.
 * Adding a language: a block here (every key of `en` in ./i18n.ts), one in
 * more.ts's WORDS, and its code in main.ts's SPOKEN pattern.
 */
import type { Words } from "./i18n.ts";

type Other = Omit<Words, "lang">;

const OTHER: Record<string, Other> = {
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
  pt: {
    open: "Abrir chat",
    close: "Fechar chat",
    label: "Mensagem",
    ph: "Escreva uma mensagem…",
    send: "Enviar",
    sending: "Enviando…",
    failed: "Não enviada.",
    retry: "Tentar de novo",
    wait: "Aguardando um atendente…",
    with: "Você está conversando com {n}.",
    typing: "{n} está digitando…",
    joined: "{n} entrou no chat.",
    closed: "Esta conversa foi encerrada.",
    again: "Iniciar uma nova conversa",
    offline: "Você está offline. As mensagens serão enviadas quando voltar.",
    unread: "não lidas",
    msgs: "Mensagens",
    dl: "Baixar conversa",
  },
};

/** The words for `lang` ("pt-BR", "es"), or none (English stays) for a language we do not have. */
export function wordsFor(lang: string | undefined): Partial<Words> {
  return OTHER[(lang ?? "").slice(0, 2).toLowerCase()] ?? {};
}
