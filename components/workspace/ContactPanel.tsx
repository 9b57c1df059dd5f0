import { useEffect, useState } from "preact/hooks";
import type { WorkspaceStore } from "../../lib/ui/state.ts";
import type { UiConversation } from "../../lib/ui/model.ts";
import {
  loadContactProfile,
  mergeContactInto,
  saveContactDetails,
  type UiContactProfile,
} from "../../lib/ui/contact.ts";
import { channelLabel } from "../../lib/ui/format.ts";
import { ContextPanel } from "./ContextPanel.tsx";
import { formatDate, formatNumber, t } from "../../lib/i18n/mod.ts";

/**
 * "Contact": who the customer is, beside the conversation: name, email, phone
 * (the WhatsApp number), channels, first seen, how many conversations, and the
 * context the website attached. Name and email can be corrected ("Edit");
 * supervisors merge a duplicate (the same person on another channel) into it.
 */
export function ContactPanel({ ws, conv }: { ws: WorkspaceStore; conv: UiConversation }) {
  const [profile, setProfile] = useState<UiContactProfile | null>(null);
  const [error, setError] = useState("");
  const [editing, setEditing] = useState(false);
  const reload = async () => {
    try {
      setProfile(await loadContactProfile(conv.id));
      setError("");
    } catch (err) {
      setError((err as Error).message);
    }
  };
  // Reloads when the conversation, or what it says about its contact, changes.
  useEffect(() => {
    reload();
  }, [conv.id, conv.contactId, conv.contactName, conv.contactEmail]);

  return (
    <div class="flex flex-col gap-4">
      <section aria-labelledby="contact-title" class="flex flex-col gap-2">
        <div class="flex items-center gap-2">
          <h2 id="contact-title" class="font-semibold">{t("pane.contact")}</h2>
          {profile && !editing && (
            <button
              type="button"
              onClick={() => setEditing(true)}
              class="ml-auto text-sm border border-gray-300 rounded px-2 py-1 hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              {t("contact.edit")}
              <span class="sr-only">{t("contact.editWhat")}</span>
            </button>
          )}
        </div>
        {error && <p role="alert" class="text-sm text-red-800">{error}</p>}
        {!profile
          ? !error && <p class="text-sm text-gray-600">{t("common.loading")}</p>
          : editing
          ? (
            <EditContact
              profile={profile}
              conversationId={conv.id}
              onDone={(next) => {
                setEditing(false);
                if (next) setProfile({ ...profile, ...next });
                requestAnimationFrame(() =>
                  document.querySelector<HTMLElement>("#contact-title + button")?.focus()
                );
              }}
            />
          )
          : <ContactFacts profile={profile} />}
      </section>
      {profile && ws.isSupervisor.value && (
        <MergeContact ws={ws} profile={profile} onMerged={reload} />
      )}
      <ContextPanel conv={conv} />
    </div>
  );
}

function ContactFacts({ profile }: { profile: UiContactProfile }) {
  const row = (label: string, value: string | null) => (
    <div class="border-b border-gray-100 pb-1">
      <dt class="font-medium text-gray-800">{label}</dt>
      <dd class="text-gray-900 break-all">
        {value ?? <span class="text-gray-600">{t("contact.unknown")}</span>}
      </dd>
    </div>
  );
  return (
    <dl class="grid grid-cols-1 gap-1 text-sm" data-testid="contact-facts">
      {row(t("contact.name"), profile.name)}
      {row(t("contact.email"), profile.email)}
      {row(t("contact.phone"), profile.phone)}
      {row(t("contact.channels"), profile.channels.map(channelLabel).join(", ") || null)}
      {row(t("contact.firstSeen"), formatDate(profile.firstSeenAt))}
      {row(
        t("list.conversations"),
        `${formatNumber(profile.conversationCount)}${profile.conversationCountCapped ? "+" : ""}`,
      )}
    </dl>
  );
}

function EditContact(
  { profile, conversationId, onDone }: {
    profile: UiContactProfile;
    conversationId: string;
    onDone: (next: { name: string | null; email: string | null } | null) => void;
  },
) {
  const [name, setName] = useState(profile.name ?? "");
  const [email, setEmail] = useState(profile.email ?? "");
  const [problem, setProblem] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => document.getElementById("contact-name")?.focus(), []);
  return (
    <form
      aria-label={t("contact.editTitle")}
      noValidate
      class="flex flex-col gap-2"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          onDone(await saveContactDetails(conversationId, name, email));
        } catch (err) {
          const fields = (err as { fields?: Record<string, string> }).fields;
          setProblem(fields && Object.keys(fields).length ? fields : { _: (err as Error).message });
        } finally {
          setBusy(false);
        }
      }}
    >
      {problem._ && <p role="alert" class="text-sm text-red-800">{problem._}</p>}
      {[
        ["contact-name", t("contact.name"), name, setName, problem.name, "name"],
        ["contact-email", t("contact.email"), email, setEmail, problem.email, "email"],
      ].map(([id, label, value, set, err, type]) => (
        <div key={id as string} class="flex flex-col gap-1">
          <label for={id as string} class="text-sm font-medium">{label as string}</label>
          <input
            id={id as string}
            type={type === "email" ? "email" : "text"}
            value={value as string}
            aria-invalid={err ? "true" : undefined}
            aria-describedby={err ? `${id}-error` : undefined}
            onInput={(e) =>
              (set as (v: string) => void)((e.target as HTMLInputElement).value)}
            class="w-full border border-gray-300 rounded px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-brand-500"
          />
          {err && <p id={`${id}-error`} class="text-sm text-red-800">{err as string}</p>}
        </div>
      ))}
      <div class="flex gap-2">
        <button
          type="submit"
          disabled={busy}
          class="bg-brand-600 text-white rounded px-3 py-1 text-sm font-medium hover:bg-brand-700 disabled:opacity-50 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-500"
        >
          {t("contact.save")}
        </button>
        <button
          type="button"
          onClick={() => onDone(null)}
          class="border border-gray-300 rounded px-3 py-1 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/**
 * Supervisors: merge another contact (the same person on another channel, or
 * a duplicate) into this one. Candidates are the other contacts in the
 * workspace's lists, where duplicates show up; the merge asks first.
 */
function MergeContact(
  { ws, profile, onMerged }: {
    ws: WorkspaceStore;
    profile: UiContactProfile;
    onMerged: () => void;
  },
) {
  const [choice, setChoice] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [said, setSaid] = useState("");
  const seen = new Map<string, string>();
  for (const list of Object.values(ws.lists.value)) {
    for (const c of list) {
      if (c.contactId !== profile.id && !seen.has(c.contactId)) {
        seen.set(c.contactId, `${c.contactName} (${channelLabel(c.channel)})`);
      }
    }
  }
  const candidates = [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const chosen = seen.get(choice);
  return (
    <section aria-labelledby="merge-title" class="flex flex-col gap-2">
      <h2 id="merge-title" class="font-semibold">{t("contact.merge")}</h2>
      <p class="text-sm text-gray-700">
        {t("contact.mergeHint")}
      </p>
      <label for="merge-with" class="text-sm font-medium">{t("contact.mergeInto")}</label>
      <select
        id="merge-with"
        value={choice}
        onChange={(e) => {
          setChoice((e.target as HTMLSelectElement).value);
          setConfirming(false);
        }}
        class="text-sm border border-gray-300 rounded px-1 py-1 bg-white focus:outline-none focus:ring-2 focus:ring-brand-500"
      >
        <option value="">{t("contact.choose")}</option>
        {candidates.map(([id, label]) => <option key={id} value={id}>{label}</option>)}
      </select>
      {chosen && !confirming && (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          class="self-start border border-gray-300 rounded px-3 py-1 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
        >
          {t("contact.mergeEllipsis")}
        </button>
      )}
      {chosen && confirming && (
        <div
          role="alertdialog"
          aria-labelledby="merge-ask"
          class="rounded border border-amber-300 bg-amber-50 p-2"
        >
          <p id="merge-ask" class="text-sm mb-2">
            {t("contact.mergeAsk", {
              from: chosen,
              into: profile.name ?? t("contact.thisContact"),
            })}
          </p>
          <div class="flex gap-2">
            <button
              type="button"
              onClick={async () => {
                try {
                  const moved = await mergeContactInto(ws, profile.id, choice);
                  setSaid(t("contact.merged", { count: moved }));
                  setChoice("");
                  setConfirming(false);
                  onMerged();
                } catch (err) {
                  setSaid((err as Error).message);
                  setConfirming(false);
                }
              }}
              class="bg-red-700 text-white rounded px-3 py-1 text-sm font-medium hover:bg-red-800 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-red-600"
            >
              {t("contact.merge")}
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              class="border border-gray-300 rounded px-3 py-1 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-500"
            >
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
      <p role="status" class="text-sm text-gray-800">{said}</p>
    </section>
  );
}
