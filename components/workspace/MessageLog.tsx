import type { UiMessage, UiSurveyAnswer } from "../../lib/ui/model.ts";
import { clockLabel, deliveryLabel } from "../../lib/ui/format.ts";
import { localTimes } from "../../lib/ui/state.ts";
import { t } from "../../lib/i18n/mod.ts";
import { AttachmentList, MessageText } from "./Attachments.tsx";

/**
 * One conversation's log: customer and agent messages, system events
 * ("Transferred from A to B"), internal notes styled apart and marked
 * "Internal", times, and the delivery state of outbound messages with a
 * retry for failed ones; files as thumbnails and chips, links clickable
 * (./Attachments.tsx). Text is always rendered as text, never markup.
 */
export function MessageLog(
  { messages, now, onRetry, agentName }: {
    messages: UiMessage[];
    now: number;
    onRetry?: (m: UiMessage) => void;
    /** Names agents in system events ("Transferred from Ana to Sue"). */
    agentName?: (id: string) => string | null;
  },
) {
  return (
    <ol class="flex flex-col gap-2" aria-label={t("log.messages")}>
      {messages.map((m) => (
        <MessageItem
          key={m.clientId ?? m.id}
          m={m}
          now={now}
          onRetry={onRetry}
          agentName={agentName}
        />
      ))}
    </ol>
  );
}

function MessageItem(
  { m, now, onRetry, agentName }: {
    m: UiMessage;
    now: number;
    onRetry?: (m: UiMessage) => void;
    agentName?: (id: string) => string | null;
  },
) {
  // A new key when local times switch on: the element is rebuilt with the browser's time zone.
  const local = localTimes.value;
  const time = (
    <time key={local ? "local" : "utc"} dateTime={m.at} class="text-xs text-gray-600">
      {clockLabel(m.at, now, local)}
    </time>
  );
  if (m.author === "system") {
    return (
      <li
        class="self-center max-w-full text-center text-xs text-gray-700 bg-gray-100 rounded-lg px-3 py-1 break-words"
        data-kind="system"
      >
        {m.transfer ? transferText(m.transfer, agentName) : eventText(m, agentName)} · {time}
        {(m.transfer?.note || m.eventNote) && (
          <span class="block whitespace-pre-wrap text-gray-800">
            {t("log.note", { note: m.transfer?.note || m.eventNote || "" })}
          </span>
        )}
      </li>
    );
  }
  if (m.internal) {
    return (
      <li
        class="self-end max-w-[85%] rounded-lg border border-dashed border-amber-500 bg-amber-50 px-3 py-2"
        data-kind="internal"
      >
        <p class="text-xs font-semibold text-amber-900">
          {m.toSupervisor ? t("log.internalQuestion") : t("log.internal")}
          {m.authorName ? ` · ${m.authorName}` : ""}
        </p>
        {m.text && <MessageText text={m.text} class="whitespace-pre-wrap break-words" />}
        <AttachmentList files={m.attachments} />
        <p class="text-right">
          {time} <Delivery m={m} onRetry={onRetry} />
        </p>
      </li>
    );
  }
  const customer = m.author === "customer";
  return (
    <li
      class={customer
        ? "self-start max-w-[85%] rounded-lg bg-white border border-gray-200 px-3 py-2"
        : "self-end max-w-[85%] rounded-lg bg-brand-50 border border-brand-100 px-3 py-2"}
      data-kind={customer ? "customer" : "agent"}
    >
      <p class="text-xs font-semibold text-gray-700">
        {m.authorName ?? (customer ? t("log.customer") : t("log.agent"))}
      </p>
      {m.text && <MessageText text={m.text} class="whitespace-pre-wrap break-words" />}
      <AttachmentList files={m.attachments} />
      {m.kind !== "text" && m.attachments.length === 0 && (
        <p class="text-sm text-gray-700">
          {m.mediaUrl
            ? (
              <a href={m.mediaUrl} target="_blank" rel="noopener" class="underline">
                {t("log.open", { kind: m.kind })}
              </a>
            )
            : m.template
            ? t("log.template", { name: m.template.name, language: m.template.language })
            : `[${m.kind}]`}
        </p>
      )}
      <p class={customer ? "" : "text-right"}>
        {time} {!customer && <Delivery m={m} onRetry={onRetry} />}
      </p>
    </li>
  );
}

function transferText(
  transfer: NonNullable<UiMessage["transfer"]>,
  agentName?: (id: string) => string | null,
): string {
  if (!transfer.fromAgentId) return t("log.transferredFromQueue", { to: transfer.toAgentName });
  return t("log.transferred", {
    from: agentName?.(transfer.fromAgentId) ?? t("log.aColleague"),
    to: transfer.toAgentName,
  });
}

/** A system event in the reader's language when its kind is known, else the engine's words. */
function eventText(m: UiMessage, agentName?: (id: string) => string | null): string {
  const e = m.event;
  if (e?.kind === "closed") {
    return t(e.reason === "inactivity" ? "log.event.closedInactivity" : "log.event.closed");
  }
  if (e?.survey) return surveyAnswerText(e.survey);
  if (e?.kind === "survey_sent") return t("log.survey.sent");
  if (e?.kind === "survey_not_sent") return t("log.survey.notSent");
  if (e?.kind === "survey_score_asked") return t("log.survey.scoreAsked");
  if (e?.kind === "assigned" && e.agentName) return t("log.event.assigned", { name: e.agentName });
  if (e?.kind === "requeued") {
    if (e.reason === "offline") return t("log.event.requeuedOffline");
    if (e.reason === "unanswered") return t("log.event.requeuedUnanswered");
    const by = e.byAgentId ? agentName?.(e.byAgentId) : null;
    if (by) return t("log.event.requeued", { name: by });
  }
  return m.text;
}

/** "Satisfaction: Good (OK), recommend score 9/10. Comment: “…”" in the reader's language. */
export function surveyAnswerText(a: UiSurveyAnswer): string {
  const parts = [t(a.rating === "ok" ? "log.survey.ok" : "log.survey.ko")];
  if (a.nps !== null) parts.push(t("log.survey.score", { score: String(a.nps) }));
  const text = parts.join(", ") + ".";
  return a.comment ? `${text} ${t("log.survey.comment", { comment: a.comment })}` : text;
}

function Delivery({ m, onRetry }: { m: UiMessage; onRetry?: (m: UiMessage) => void }) {
  const label = deliveryLabel(m.delivery);
  if (!label) return null;
  if (m.delivery !== "failed") {
    return <span class="text-xs text-gray-600" data-delivery={m.delivery}>· {label}</span>;
  }
  return (
    <span class="text-xs text-red-800" data-delivery="failed">
      · {label}
      {m.failReason ? `: ${m.failReason}` : ""}
      {onRetry && (
        <button
          type="button"
          onClick={() => onRetry(m)}
          class="ml-2 underline font-medium focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {t("log.retry")}
        </button>
      )}
    </span>
  );
}
