import { useEffect, useRef, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import { loadQuickResponses, sendMessage } from "../../lib/ui/actions.ts";
import { newClientId, nextField, waitingLabel } from "../../lib/ui/format.ts";
import { draftFromTemplate, fillInLabel, fillTemplate } from "../../lib/domain/quick_responses.ts";
import type { UiConversation, UiQuickResponse } from "../../lib/ui/model.ts";
import { QuickResponsePicker } from "./QuickResponsePicker.tsx";
import { isWindowOpen } from "../../lib/domain/whatsapp_window.ts";
import { TemplateSender } from "./TemplateSender.tsx";
import { notifyTyping } from "../../lib/ui/pane_socket.ts";
import { t } from "../../lib/i18n/mod.ts";
import { AttachPicker, type PendingFile } from "./AttachPicker.tsx";
import { ScriptButton } from "../ScriptButton.tsx";

/**
 * The reply box: Enter sends, Shift+Enter adds a line; "Internal note" (and
 * "Ask a supervisor") toggles; "Quick responses" (button or `/`) fills known
 * placeholders and Tab walks through the custom fields left to type; for
 * WhatsApp, the 24-hour window and why free-form replies are off outside it,
 * with "Send a template" (TemplateSender.tsx) to reach the customer then;
 * "Attach file" sends images and documents with the message (AttachPicker.tsx).
 */
export function Composer({ ws, conv }: { ws: WorkspaceStore; conv: UiConversation }) {
  const [text, setText] = useState("");
  // A supervisor opening a chat with an agent's open question answers it with an internal note.
  const answering = ws.isSupervisor.value && conv.question && conv.assigneeId !== ws.me.value.id;
  const [internal, setInternal] = useState(answering);
  useEffect(() => {
    if (answering) setInternal(true); // a question arrived while the chat was open
  }, [answering]);
  const [ask, setAsk] = useState(false);
  const [picking, setPicking] = useState(false);
  const [templating, setTemplating] = useState(false);
  const templateButton = useRef<HTMLButtonElement>(null);
  const [problem, setProblem] = useState("");
  const [files, setFiles] = useState<PendingFile[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  // The plain form's idempotency key (a resubmitted form stores the message once).
  const [formClientId] = useState(newClientId);
  const now = ws.now.value;
  // The engine's rule (lib/domain/whatsapp_window.ts); the server refuses the same way.
  const windowClosed = conv.channel === "whatsapp" &&
    !isWindowOpen(conv.windowEndsAt, Date.now());
  const freeFormOff = windowClosed && !internal;
  // Everything the engine holds about the customer (setUser, WhatsApp number) fills placeholders.
  const values = {
    contact: { name: conv.contactName, email: conv.contactEmail, phone: conv.contactPhone },
    agent: { name: ws.me.value.name },
    context: Object.fromEntries(conv.context),
  };

  const submit = () => {
    const body = text.trim();
    if ((!body && files.length === 0) || freeFormOff) return;
    if (files.some((f) => !f.ref)) {
      setProblem(t("composer.waitUploads"));
      return;
    }
    if (body.includes("{{")) {
      const filled = fillTemplate(body, values);
      if (!filled.ok) {
        // A placeholder without a value becomes a field to type in, never a dead end.
        const draft = filled.issues.length ? text : draftFromTemplate(text, values);
        const names = filled.missing.map((p) => fillInLabel(p));
        setProblem(
          names.length
            ? t("composer.fillIn", { names: names.join(", ") })
            : filled.issues.join(" "),
        );
        if (draft !== text) {
          setText(draft);
          selectFirstField(draft);
        }
        return;
      }
    }
    setProblem("");
    setText("");
    setAsk(false); // one question at a time
    const attachments = files.map((f) => f.ref!);
    setFiles([]);
    sendMessage(ws, body, { internal: internal || ask, toSupervisor: ask, attachments });
    notifyTyping(conv.id, false);
  };

  const selectFirstField = (draft: string) =>
    requestAnimationFrame(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      const f = nextField(draft, 0);
      if (f) el.setSelectionRange(f.start, f.end);
      else el.setSelectionRange(draft.length, draft.length);
    });

  const choose = (qr: UiQuickResponse) => {
    setPicking(false);
    const filled = draftFromTemplate(qr.body, values);
    const merged = text.trim() ? `${text.replace(/\/\S*$/, "")}${filled}` : filled;
    setText(merged);
    selectFirstField(merged);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const el = e.currentTarget as HTMLTextAreaElement;
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === "Tab" && !e.shiftKey) {
      let f = nextField(el.value, el.selectionStart);
      if (f && f.start === el.selectionStart && f.end === el.selectionEnd) {
        const after = nextField(el.value, f.end);
        f = after && after.start !== f.start ? after : null;
      }
      if (f) {
        e.preventDefault();
        el.setSelectionRange(f.start, f.end);
      }
    } else if (e.key === "/" && el.value.trim() === "") {
      e.preventDefault();
      loadQuickResponses(ws);
      setPicking(true);
    }
  };

  return (
    <div class="border-t border-gray-200 bg-white p-2">
      {conv.channel === "whatsapp" && (
        <p
          class={windowClosed ? "text-sm text-red-800 mb-1" : "text-xs text-gray-600 mb-1"}
          id="window-note"
        >
          {windowClosed ? t("composer.windowClosed") : t("composer.windowOpen", {
            time: waitingLabel(new Date(now).toISOString(), Date.parse(conv.windowEndsAt!)),
          })}
        </p>
      )}
      {windowClosed && templating && (
        <TemplateSender
          ws={ws}
          conv={conv}
          onClose={() => {
            setTemplating(false);
            requestAnimationFrame(() => templateButton.current?.focus());
          }}
        />
      )}
      {picking && (
        <QuickResponsePicker
          items={ws.quickResponses.value}
          onChoose={choose}
          onCancel={() => {
            setPicking(false);
            area.current?.focus();
          }}
        />
      )}
      <form
        method="post"
        action={`/workspace/conversations/${encodeURIComponent(conv.id)}/messages`}
        onSubmit={(e) => {
          e.preventDefault(); // with scripts: the JSON API (the form posts only without them)
          submit();
        }}
        class="flex flex-col gap-1"
      >
        <input type="hidden" name="clientId" value={formClientId} />
        <label for="composer" class="sr-only">{t("composer.message")}</label>
        <textarea
          id="composer"
          name="text"
          ref={area}
          rows={3}
          value={text}
          disabled={freeFormOff}
          aria-describedby={problem
            ? "composer-problem"
            : conv.channel === "whatsapp"
            ? "window-note"
            : undefined}
          placeholder={internal || ask ? t("composer.notePlaceholder") : t("composer.placeholder")}
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            notifyTyping(conv.id, true);
          }}
          onKeyDown={onKeyDown}
          class={internal || ask
            ? "w-full resize-none rounded border border-dashed border-amber-500 bg-amber-50 px-2 py-1 focus:outline-none focus:ring-2 focus:ring-brand-500"
            : "w-full resize-none rounded border border-gray-300 px-2 py-1 focus:outline-none focus:ring-2 focus:ring-brand-500 disabled:bg-gray-100"}
        />
        {problem && <p id="composer-problem" role="alert" class="text-sm text-red-800">{problem}
        </p>}
        <div class="flex flex-wrap items-center gap-3">
          <label class="flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              name="internal"
              checked={internal}
              onChange={(e) => setInternal((e.target as HTMLInputElement).checked)}
            />
            {t("log.internal")}
          </label>
          {ws.me.value.role === "agent" && (
            <label class="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={ask}
                onChange={(e) => setAsk((e.target as HTMLInputElement).checked)}
              />
              {t("composer.ask")}
            </label>
          )}
          <AttachPicker
            conversationId={conv.id}
            files={files}
            setFiles={setFiles}
            onProblem={setProblem}
            disabled={freeFormOff}
          />
          <ScriptButton
            id={`quick-${conv.id}`}
            waiting={t("composer.waitLoading")}
            aria-expanded={picking ? "true" : "false"}
            onClick={() => {
              loadQuickResponses(ws);
              setPicking(!picking);
            }}
            class="text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            {t("composer.quickResponses")}
          </ScriptButton>
          {windowClosed && (
            <ScriptButton
              id={`template-${conv.id}`}
              waiting={t("composer.waitLoading")}
              buttonRef={templateButton}
              aria-expanded={templating ? "true" : "false"}
              onClick={() => setTemplating(!templating)}
              class="text-sm border border-brand-600 text-brand-700 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              {t("composer.sendTemplate")}
            </ScriptButton>
          )}
          <button
            type="submit"
            disabled={freeFormOff}
            class="ml-auto bg-brand-600 text-white rounded px-4 py-1 font-medium hover:bg-brand-700 disabled:opacity-50 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
          >
            {internal || ask ? t("composer.addNote") : t("composer.send")}
          </button>
        </div>
      </form>
    </div>
  );
}
