/**
 * The live supervision dashboard's figures (`/supervise`, `GET
 * /api/v1/supervision/dashboard`): chats waiting per team and the longest
 * wait, every agent's status, load against max chats and time in that
 * status, Active chats whose customer has waited longer than a threshold for
 * an agent's reply, and today's counters (UTC). It reads the open chats
 * (the Pending and Active status index) and today's day bucket, never the
 * closed history, so its cost follows what is open now. Times are ISO
 * instants, so the page counts the waits up itself between refreshes.
 */
import { z } from "zod";
import type { Contact, Conversation, Presence } from "../domain/engine_types.ts";
import { keys } from "../store/keys.ts";
import { listTeams } from "../store/teams.ts";
import { getManyEntries } from "../store/engine/records.ts";
import { listAgentSummaries } from "../store/engine/presence.ts";
import { bucketStart } from "../store/engine/metrics.ts";
import { readMetrics } from "../store/engine/metrics_read.ts";
import { periodRow, SURVEY_COUNTED } from "./supervision_report.ts";

/** Default threshold for "no agent reply", in seconds. */
export const DEFAULT_SLOW_AFTER_S = 120;

export const dashboardQuerySchema = z.object({
  slowAfter: z.preprocess(
    (v) => v === "" || v === undefined ? undefined : Number(v),
    z.number().int().min(10).max(86_400).optional(),
  ).describe("Seconds without an agent reply before an Active chat is listed (default 120)"),
});

export interface WaitingRow {
  teamId: string | null;
  teamName: string | null;
  count: number;
  /** When the longest-waiting chat of the team arrived. */
  oldestSince: string;
}

export interface AgentNow {
  id: string;
  name: string;
  teamName: string | null;
  status: "online" | "busy" | "offline";
  /** When the status began (null: never changed). */
  statusSince: string | null;
  activeChats: number;
  maxChats: number;
}

export interface SlowChat {
  conversationId: string;
  /** The contact's name (email, phone), else the channel's English word for its customer. */
  contactName: string;
  /** True when the contact gave no name, email or number (`contactName` is the channel's word). */
  contactUnnamed: boolean;
  channel: string;
  agentId: string | null;
  agentName: string | null;
  /** The customer's message still without an agent reply. */
  waitingSince: string;
}

export interface DashboardState {
  now: string;
  slowAfterSeconds: number;
  waiting: WaitingRow[];
  waitingTotal: number;
  agents: AgentNow[];
  /**
   * Every Active chat whose last message is the customer's (oldest first): the page lists
   * those waiting longer than `slowAfterSeconds`, as its clock runs.
   */
  awaiting: SlowChat[];
  today: {
    created: number;
    closed: number;
    handled: number;
    transferred: number;
    abandoned: number;
    /** Survey answers today and the share of OK ones; null while the survey is not counted. */
    csat: { answers: number; percentOk: number | null } | null;
  };
}

async function openConversations(kv: Deno.Kv, status: "pending" | "active") {
  const ids: string[] = [];
  for await (const e of kv.list({ prefix: keys.conversationsByStatusPrefix(status) })) {
    ids.push(e.key[3] as string);
  }
  return (await getManyEntries<Conversation>(kv, ids.map(keys.conversation)))
    .flatMap((e) => e.value && e.value.status === status ? [e.value] : []);
}

/** What the contact told us to call them, or null when they gave nothing. */
const knownName = (c: Contact | null) => c?.name ?? c?.email ?? c?.phone ?? c?.whatsappId ?? null;
const channelWord = (conv: Conversation) =>
  conv.channel === "whatsapp" ? "WhatsApp customer" : "Web visitor";

/** The dashboard as of `nowMs`. */
export async function dashboardState(
  kv: Deno.Kv,
  opts: { slowAfterSeconds?: number; nowMs?: number } = {},
): Promise<DashboardState> {
  const nowMs = opts.nowMs ?? Date.now();
  const slowAfter = opts.slowAfterSeconds ?? DEFAULT_SLOW_AFTER_S;
  const day = bucketStart(nowMs, "d");
  const [pending, active, teams, summaries, [today]] = await Promise.all([
    openConversations(kv, "pending"),
    openConversations(kv, "active"),
    listTeams(kv),
    listAgentSummaries(kv),
    readMetrics(kv, "all", "d", day, day + 1),
  ]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const byTeam = new Map<string | null, WaitingRow>();
  for (const c of pending) {
    const row = byTeam.get(c.teamId);
    if (!row) {
      byTeam.set(c.teamId, {
        teamId: c.teamId,
        teamName: c.teamId ? teamName.get(c.teamId) ?? null : null,
        count: 1,
        oldestSince: c.createdAt,
      });
    } else {
      row.count++;
      if (c.createdAt < row.oldestSince) row.oldestSince = c.createdAt;
    }
  }
  const staff = summaries.filter((a) => a.active);
  const presences = await getManyEntries<Presence>(kv, staff.map((a) => keys.presence(a.id)));
  const agents: AgentNow[] = staff.map((a, i) => {
    const p = presences[i].value;
    return {
      id: a.id,
      name: a.name,
      teamName: a.teamId ? teamName.get(a.teamId) ?? null : null,
      status: a.status,
      // A lost heartbeat counts as Offline at once; its record follows within seconds.
      statusSince: p && p.status === a.status ? p.changedAt : null,
      activeChats: a.activeChats,
      maxChats: a.maxChats,
    };
  }).sort((x, y) =>
    ORDER[x.status] - ORDER[y.status] || y.activeChats - x.activeChats ||
    x.name.localeCompare(y.name)
  );
  const slowConvs = active.filter((c) => c.lastMessage?.authorType === "customer").sort((a, b) =>
    a.lastMessage!.at.localeCompare(b.lastMessage!.at)
  );
  const contacts = await getManyEntries<Contact>(
    kv,
    slowConvs.map((c) => keys.contact(c.contactId)),
  );
  const agentName = new Map(summaries.map((a) => [a.id, a.name]));
  const t = today.counters;
  const csat = periodRow(today);
  return {
    now: new Date(nowMs).toISOString(),
    slowAfterSeconds: slowAfter,
    waiting: [...byTeam.values()].sort((a, b) => a.oldestSince.localeCompare(b.oldestSince)),
    waitingTotal: pending.length,
    agents,
    awaiting: slowConvs.map((c, i) => ({
      conversationId: c.id,
      contactName: knownName(contacts[i].value) ?? channelWord(c),
      contactUnnamed: knownName(contacts[i].value) === null,
      channel: c.channel,
      agentId: c.assigneeId,
      agentName: c.assigneeId ? agentName.get(c.assigneeId) ?? null : null,
      waitingSince: c.lastMessage!.at,
    })),
    today: {
      created: t.created,
      closed: t.closed,
      handled: t.handled,
      transferred: t.transferred,
      abandoned: t.abandoned,
      csat: SURVEY_COUNTED ? { answers: csat.csatResponses, percentOk: csat.csatPercent } : null,
    },
  };
}

const ORDER = { online: 0, busy: 1, offline: 2 } as const;
