/**
 * What the widget says about files (files.ts), in every language the widget
 * speaks: the "Attach a file" button, the upload states (uploading, not sent
 * with Try again) and the refusals, in words a visitor understands (never
 * the API's codes). Part of the on-demand module, like files.ts. The limit
 * named in `big` is lib/domain/attachments.ts MAX_ATTACHMENT_BYTES (10 MiB;
 * widget_files_test.ts checks they agree).
 */
const WORDS = {
  en: {
    attach: "Attach a file",
    files: "Files you are sending",
    up: "Uploading…",
    sent: "{n} sent.",
    big: "This file is too big to send ({n}). Files can be up to 10 MB.",
    kind:
      "This kind of file cannot be sent. Send an image (PNG, JPEG, GIF, WebP), a PDF, a text file or an office document.",
    empty: "This file is empty.",
    failed: "Not sent. Check your connection and try again.",
    busy: "Too many files at once. Wait a minute, then try again.",
    retry: "Try again",
    remove: "Remove {n}",
    del: "Remove",
  },
  de: {
    attach: "Datei anhängen",
    files: "Dateien, die Sie senden",
    up: "Wird hochgeladen…",
    sent: "{n} gesendet.",
    big: "Diese Datei ist zu groß zum Senden ({n}). Dateien dürfen bis zu 10 MB groß sein.",
    kind:
      "Diese Art von Datei kann nicht gesendet werden. Senden Sie ein Bild (PNG, JPEG, GIF, WebP), ein PDF, eine Textdatei oder ein Office-Dokument.",
    empty: "Diese Datei ist leer.",
    failed: "Nicht gesendet. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    busy: "Zu viele Dateien auf einmal. Warten Sie eine Minute und versuchen Sie es dann erneut.",
    retry: "Erneut versuchen",
    remove: "{n} entfernen",
    del: "Entfernen",
  },
  es: {
    attach: "Adjuntar un archivo",
    files: "Archivos que estás enviando",
    up: "Subiendo…",
    sent: "{n} enviado.",
    big:
      "Este archivo es demasiado grande para enviarlo ({n}). Los archivos pueden tener hasta 10 MB.",
    kind:
      "Este tipo de archivo no se puede enviar. Envía una imagen (PNG, JPEG, GIF, WebP), un PDF, un archivo de texto o un documento de Office.",
    empty: "Este archivo está vacío.",
    failed: "No se envió. Revisa tu conexión e inténtalo de nuevo.",
    busy: "Demasiados archivos a la vez. Espera un minuto e inténtalo de nuevo.",
    retry: "Reintentar",
    remove: "Quitar {n}",
    del: "Quitar",
  },
  pt: {
    attach: "Anexar um arquivo",
    files: "Arquivos que você está enviando",
    up: "Enviando…",
    sent: "{n} enviado.",
    big: "Este arquivo é grande demais para enviar ({n}). Os arquivos podem ter até 10 MB.",
    kind:
      "Este tipo de arquivo não pode ser enviado. Envie uma imagem (PNG, JPEG, GIF, WebP), um PDF, um arquivo de texto ou um documento do Office.",
    empty: "Este arquivo está vazio.",
    failed: "Não enviado. Verifique sua conexão e tente novamente.",
    busy: "Muitos arquivos de uma vez. Espere um minuto e tente novamente.",
    retry: "Tentar de novo",
    remove: "Remover {n}",
    del: "Remover",
  },
};

export type FileWords = typeof WORDS.en;

/** The file words for `lang` ("pt-BR", "es"), English for a language the widget does not speak. */
export function fileWords(lang: string | undefined): FileWords {
  return WORDS[(lang ?? "").slice(0, 2).toLowerCase() as keyof typeof WORDS] ?? WORDS.en;
}

/** Every language's file words (for the catalog test). */
export const FILE_WORDS: Record<string, FileWords> = WORDS;
