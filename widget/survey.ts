/**
 * The satisfaction survey after a close (issue 16), shown in the widget's
 * closed box: OK / KO, the 0–10 recommend score and a comment when the
 * survey asks for them, one Send. Part of the on-demand module (more.ts), so
 * widget.js only says when to show it. Native radio buttons and labels, so it
 * works by keyboard (Tab between groups, arrows within one) and reads well.
 * The server decides (one answer, in time, the visitor's own); this shows its
 * answer, or its refusal in words.
 */
import type { Conversation } from "./schemas.ts";
import { el } from "./view.ts";
import { adoptStylesOnce } from "./adopt_styles.ts";

type Post = (method: "POST", path: string, body: unknown) => Promise<unknown>;

const WORDS = {
  en: {
    q: "How was this conversation?",
    ok: "Good",
    ko: "Bad",
    nps: "How likely are you to recommend us? 0 = not at all, 10 = very likely",
    comment: "Anything to add? (optional)",
    send: "Send feedback",
    pick: "Choose Good or Bad first.",
    thanks: "Thank you for your feedback!",
    over: "The time to answer this survey is over.",
    done: "This survey was already answered.",
    again: "Not sent. Please try again.",
  },
  de: {
    q: "Wie war dieses Gespräch?",
    ok: "Gut",
    ko: "Schlecht",
    nps: "Wie wahrscheinlich empfehlen Sie uns weiter? 0 = gar nicht, 10 = sehr wahrscheinlich",
    comment: "Möchten Sie etwas ergänzen? (optional)",
    send: "Bewertung senden",
    pick: "Bitte zuerst Gut oder Schlecht wählen.",
    thanks: "Vielen Dank für Ihre Bewertung!",
    over: "Die Zeit für diese Umfrage ist abgelaufen.",
    done: "Diese Umfrage wurde bereits beantwortet.",
    again: "Nicht gesendet. Bitte erneut versuchen.",
  },
  es: {
    q: "¿Qué tal fue esta conversación?",
    ok: "Buena",
    ko: "Mala",
    nps: "¿Qué probabilidad hay de que nos recomiendes? 0 = ninguna, 10 = mucha",
    comment: "¿Algo más? (opcional)",
    send: "Enviar valoración",
    pick: "Elige primero Buena o Mala.",
    thanks: "¡Gracias por tu valoración!",
    over: "El plazo para responder esta encuesta ha terminado.",
    done: "Esta encuesta ya tiene respuesta.",
    again: "No enviado. Inténtalo de nuevo.",
  },
  pt: {
    q: "Como foi esta conversa?",
    ok: "Boa",
    ko: "Ruim",
    nps: "Qual a probabilidade de você nos recomendar? 0 = nenhuma, 10 = muito provável",
    comment: "Algo a acrescentar? (opcional)",
    send: "Enviar avaliação",
    pick: "Escolha Boa ou Ruim primeiro.",
    thanks: "Obrigado pela sua avaliação!",
    over: "O prazo para responder esta pesquisa terminou.",
    done: "Esta pesquisa já foi respondida.",
    again: "Não enviada. Tente novamente.",
  },
};

const CSS =
  `.sv{display:block;padding:8px 0 0;border:0}.sv fieldset{border:0;margin:0 0 8px}.sv legend{font-weight:600;margin-bottom:4px}.sv .o{display:flex;flex-wrap:wrap;gap:4px}.sv .o label{display:flex;align-items:center;gap:3px;padding:2px 6px;border:1px solid #d1d5db;border-radius:6px;background:#fff}.sv textarea{display:block;width:100%;height:56px;margin-top:4px;padding:6px 8px;border:1px solid #d1d5db;border-radius:8px}.sv .e{color:#b91c1c}`;

/**
 * Shows the survey of `c` (closed, with a survey) in `box`, once per
 * conversation: called on every render, it does nothing when `box` already
 * holds this conversation's survey. Answered (now or before a reload): thanks.
 */
export function survey(
  box: HTMLElement,
  c: Conversation,
  post: Post,
  { lang }: { lang?: string },
): void {
  const s = c.survey;
  if (!s || box.dataset.sv === c.id) return;
  box.dataset.sv = c.id;
  box.querySelector(".sv")?.remove();
  const w = WORDS[(lang ?? "").slice(0, 2).toLowerCase() as keyof typeof WORDS] ?? WORDS.en;
  const root = box.getRootNode() as ShadowRoot;
  adoptStylesOnce(root, CSS);
  const form = el("form", "sv");
  form.noValidate = true;
  form.setAttribute("aria-label", w.q);
  const thanks = el("p", "", w.thanks);
  thanks.setAttribute("role", "status");
  if (s.answer || Date.parse(s.expiresAt) < Date.now()) {
    // Answered: say thanks; past its time: nothing to ask.
    if (s.answer) box.prepend(thanks);
    return;
  }
  const group = (legend: string, name: string, options: [string, string][]) => {
    const f = el("fieldset");
    f.append(el("legend", "", legend));
    const row = el("div", "o");
    for (const [value, text] of options) {
      const l = el("label");
      const r = el("input");
      r.type = "radio";
      r.name = name;
      r.value = value;
      l.append(r, text);
      row.append(l);
    }
    f.append(row);
    form.append(f);
  };
  group(w.q, "r", [["ok", "👍 " + w.ok], ["ko", "👎 " + w.ko]]);
  if (s.mode === "csat_nps") {
    group(w.nps, "n", Array.from({ length: 11 }, (_, i) => [String(i), String(i)]));
  }
  let comment: HTMLTextAreaElement | null = null;
  if (s.comment) {
    const l = el("label", "", w.comment);
    comment = el("textarea");
    comment.maxLength = 1000;
    l.append(comment);
    form.append(l);
  }
  const problem = el("p", "e");
  problem.setAttribute("role", "alert");
  const send = el("button", "", w.send);
  send.type = "submit";
  form.append(problem, send);
  const picked = (name: string) =>
    (form.querySelector(`input[name=${name}]:checked`) as HTMLInputElement | null)?.value;
  form.onsubmit = async (e) => {
    e.preventDefault();
    const rating = picked("r");
    if (!rating) {
      problem.textContent = w.pick;
      (form.querySelector("input") as HTMLInputElement).focus();
      return;
    }
    const nps = picked("n");
    send.disabled = true;
    try {
      await post("POST", "survey", {
        conversationId: c.id,
        rating,
        nps: nps === undefined ? null : Number(nps),
        comment: comment?.value.trim() || null,
      });
      form.replaceWith(thanks);
      thanks.tabIndex = -1;
      thanks.focus();
    } catch (err) {
      // The server's refusal in the visitor's words (its message is English, for integrators).
      const code = (err as { code?: string }).code;
      problem.textContent = code === "survey_answered"
        ? w.done
        : code === "survey_closed" || code === "no_survey"
        ? w.over
        : w.again;
      send.disabled = false;
    }
  };
  box.prepend(form);
  // The composer just went away: keyboard users continue in the survey.
  const active = root.activeElement;
  if (!active || active.tagName === "TEXTAREA") {
    (form.querySelector("input") as HTMLElement).focus();
  }
}
