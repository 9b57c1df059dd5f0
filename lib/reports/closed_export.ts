/**
 * The closed conversations of a report's range as CSV, with their wrap-up
 * notes and tags: the one export that reads records, so it pages through the
 * closed index (by close time) a batch at a time and is streamed, never held
 * in memory whole. The report's team, agent and channel filters apply (the
 * team and agent the conversation had when it closed).
 */
import type { Contact, Conversation } from "../domain/engine_types.ts";
import type { Agent } from "../store/agents.ts";
import type { Team } from "../store/teams.ts";
import { keys } from "../store/keys.ts";
import { getManyEntries } from "../store/engine/records.ts";
import { CSV_BOM, csvLine } from "./csv.ts";
import type { ReportFilters } from "./report_query.ts";
import { type Locale, type MessageKey, translate } from "../i18n/mod.ts";

const BATCH = 50;

/** The columns' headings (catalog keys: in the language of the request). */
export const CLOSED_HEADER: MessageKey[] = [
  "reports.csv.conversation",
  "reports.csv.channel",
  "reports.csv.contact",
  "reports.csv.contactEmail",
  "reports.csv.team",
  "reports.csv.agent",
  "reports.csv.created",
  "reports.csv.pickedUp",
  "reports.csv.firstReply",
  "reports.csv.closed",
  "reports.csv.waited",
  "reports.csv.firstResponse",
  "reports.csv.handleTime",
  "reports.csv.notes",
  "reports.csv.tags",
  "reports.csv.closedBy",
];

const seconds = (from: string | null | undefined, to: string | null | undefined) =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

function matches(c: Conversation, f: ReportFilters, agentTeam: Map<string, string | null>) {
  if (c.status !== "closed") return false;
  if (f.channel && c.channel !== f.channel) return false;
  if (f.agentId) return c.assigneeId === f.agentId;
  if (f.teamId) {
    return c.teamId === f.teamId ||
      (c.assigneeId !== null && agentTeam.get(c.assigneeId) === f.teamId);
  }
  return true;
}

/**
 * The CSV lines (header first, in `locale`) of the closed conversations `f` selects, oldest close
 * first. Cells are data, never translated: ids, channel codes, ISO times, seconds.
 */
export async function* closedConversationsCsv(
  kv: Deno.Kv,
  f: ReportFilters,
  agents: Agent[],
  teams: Team[],
  locale: Locale,
): AsyncGenerator<string> {
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  const agentTeam = new Map(agents.map((a) => [a.id, a.teamId]));
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  yield CSV_BOM + csvLine(CLOSED_HEADER.map((key) => translate(locale, key)));
  const iter = kv.list({
    start: [...keys.conversationsByStatusPrefix("closed"), f.fromMs],
    end: [...keys.conversationsByStatusPrefix("closed"), f.toMs],
  }, { batchSize: BATCH });
  let ids: string[] = [];
  const flush = async function* () {
    const convs = (await getManyEntries<Conversation>(kv, ids.map(keys.conversation)))
      .flatMap((e) => e.value && matches(e.value, f, agentTeam) ? [e.value] : []);
    ids = [];
    const contacts = await getManyEntries<Contact>(kv, convs.map((c) => keys.contact(c.contactId)));
    for (const [i, c] of convs.entries()) {
      const contact = contacts[i].value;
      yield csvLine([
        c.id,
        c.channel,
        contact?.name ?? contact?.phone ?? contact?.whatsappId ?? null,
        contact?.email ?? null,
        c.teamId ? teamName.get(c.teamId) ?? c.teamId : null,
        c.assigneeId ? agentName.get(c.assigneeId) ?? c.assigneeId : null,
        c.createdAt,
        c.pickedUpAt ?? null,
        c.firstAgentReplyAt,
        c.closedAt,
        seconds(c.createdAt, c.pickedUpAt),
        seconds(c.createdAt, c.firstAgentReplyAt),
        seconds(c.pickedUpAt, c.closedAt),
        c.wrapUp?.notes ?? null,
        c.wrapUp?.tags.join("; ") ?? null,
        c.wrapUp ? agentName.get(c.wrapUp.closedBy) ?? c.wrapUp.closedBy : null,
      ]);
    }
  };
  for await (const entry of iter) {
    ids.push(entry.key[3] as string);
    if (ids.length >= BATCH) yield* flush();
  }
  if (ids.length > 0) yield* flush();
}

/** The lines of a table as CSV (header first, in `locale`), from the same columns the page shows. */
export function* tableCsv<R>(
  columns: { label: MessageKey; cell: (r: R) => string | number | null }[],
  rows: R[],
  locale: Locale,
): Generator<string> {
  yield CSV_BOM + csvLine(columns.map((c) => translate(locale, c.label)));
  for (const r of rows) yield csvLine(columns.map((c) => c.cell(r)));
}
