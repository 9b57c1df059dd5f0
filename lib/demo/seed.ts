/**
 * `deno task demo`: fills an EMPTY store with a realistic month of a support team (accounts,
 * teams, quick responses, a few hundred closed conversations over 30 days with replies and
 * wrap-ups, and chats still open now), so the workspace and the admin console show something at
 * once. Everything goes through the real engine (assignment, messages, close), so every index
 * and rule holds; only the clock is simulated, walking from 30 days ago to now. A store that
 * already has an account is refused: demo data never mixes with real data.
 */
import type { Config } from "../../fresh.config.ts";
import { createAgent } from "../store/agents.ts";
import { createTeam } from "../store/teams.ts";
import { createQuickResponse } from "../store/quick_responses.ts";
import { ensureDefaultSite } from "../store/sites.ts";
import { keys } from "../store/keys.ts";
import { Engine } from "../store/engine/engine.ts";
import {
  appendStaffMessage,
  closeConversation,
  receiveCustomerMessage,
  setAgentStatus,
} from "../store/engine/mod.ts";
import type { Agent } from "../store/agents.ts";
import {
  DEMO_PASSWORD,
  DEMO_QUICK_RESPONSES,
  DEMO_STAFF,
  DEMO_TEAMS,
  FIRST_NAMES,
  LAST_NAMES,
  OPEN_LINES,
  SCENARIOS,
} from "./scenarios.ts";

export interface DemoOptions {
  /** Days of history (default 30). */
  days?: number;
  /** Closed conversations per day (default 10: 300 over 30 days). */
  perDay?: number;
  passwordIterations?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface DemoSummary {
  accounts: number;
  teams: number;
  quickResponses: number;
  closed: number;
  open: number;
}

/** Thrown when the store is not empty; its message is the one line the task prints. */
export class StoreNotEmptyError extends Error {}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A small seeded random generator, so two demo stores look alike. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `fn` with `Date` walking a simulated clock (`clock.set(ms)`), then restores it. The engine
 * reads time only through `Date`, so its records carry the simulated times.
 */
async function withClock<T>(
  start: number,
  fn: (clock: { set(ms: number): void; now(): number }) => Promise<T>,
): Promise<T> {
  const RealDate = Date;
  let current = start;
  class SimulatedDate extends RealDate {
    // deno-lint-ignore no-explicit-any
    constructor(...args: any[]) {
      // @ts-ignore: Date's overloads, forwarded as given (no arguments: the simulated now)
      super(...(args.length === 0 ? [current] : args));
    }
    static override now(): number {
      return current;
    }
  }
  globalThis.Date = SimulatedDate as DateConstructor;
  try {
    return await fn({
      set(ms: number) {
        current = Math.max(current, ms); // never backwards: ids stay in order
      },
      now: () => current,
    });
  } finally {
    globalThis.Date = RealDate;
  }
}

/** True when the store holds no staff account (the only state the demo fills). */
export async function storeIsEmpty(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: keys.agentsPrefix() }, { limit: 1 })) return false;
  return true;
}

/** Seeds the demo (see the module doc). Throws {@link StoreNotEmptyError} on a used store. */
export async function seedDemo(kv: Deno.Kv, options: DemoOptions = {}): Promise<DemoSummary> {
  if (!await storeIsEmpty(kv)) {
    throw new StoreNotEmptyError(
      "This store already has accounts: demo data goes only into an empty store " +
        "(try KV_PATH=./data/demo.kv deno task demo).",
    );
  }
  const days = Math.min(Math.max(options.days ?? 30, 1), 60);
  const perDay = Math.min(Math.max(options.perDay ?? 10, 1), 40);
  const log = options.log ?? (() => {});
  const rand = random(19);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const realNow = Date.now();
  const firstDay = new Date(realNow - days * 24 * HOUR);
  firstDay.setUTCHours(8, 0, 0, 0);

  return await withClock(firstDay.getTime(), async (clock) => {
    const engine = new Engine(kv);
    const iterations = options.passwordIterations ?? 600_000;
    await ensureDefaultSite(kv);
    const teams = new Map<string, string>();
    const staff: Agent[] = [];
    const admin = await createAgent(kv, {
      ...DEMO_STAFF[0],
      teamId: null,
      maxChats: null,
      password: DEMO_PASSWORD,
    }, iterations);
    staff.push(admin);
    for (const name of DEMO_TEAMS) {
      teams.set(name, (await createTeam(engine, { name }, admin)).id);
    }
    for (const s of DEMO_STAFF.slice(1)) {
      staff.push(
        await createAgent(
          kv,
          {
            name: s.name,
            email: s.email,
            role: s.role,
            teamId: s.team ? teams.get(s.team)! : null,
            maxChats: null,
            password: DEMO_PASSWORD,
          },
          iterations,
          admin,
        ),
      );
    }
    for (const qr of DEMO_QUICK_RESPONSES) {
      await createQuickResponse(engine, { ...qr, scope: "everyone", teamId: null, ownerId: null }, {
        ...admin,
      });
    }
    const agents = staff.filter((a) => a.role === "agent");
    const byId = new Map(staff.map((a) => [a.id, a]));
    let closed = 0;
    let open = 0;
    let n = 0;

    const customer = () => {
      n++;
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      return {
        webVisitorId: `demo-visitor-${n}`,
        name: `${first} ${last}`,
        // Accents off (João → joao): e-mail addresses in plain letters.
        email: `${first.toLowerCase()}.${n}@example.com`.normalize("NFD").replace(
          /\p{Diacritic}/gu,
          "",
        ),
      };
    };
    const fill = (text: string, order: number) => text.replaceAll("{order}", String(order));

    /** A customer writes; the engine routes and assigns. Returns the conversation and its holder. */
    async function arrive(text: string, team: string | null, context: Record<string, string>) {
      const r = await receiveCustomerMessage(engine, {
        channel: "webchat",
        contact: customer(),
        clientId: crypto.randomUUID(),
        text,
        context,
        teamId: team ? teams.get(team)! : null,
      });
      const holder = r.conversation.assigneeId ? byId.get(r.conversation.assigneeId) ?? null : null;
      return { conversationId: r.conversation.id, holder, contact: r.contact };
    }

    for (let day = 0; day < days; day++) {
      const dayStart = firstDay.getTime() + day * 24 * HOUR;
      clock.set(dayStart);
      for (const a of agents) await setAgentStatus(engine, a.id, "online");
      for (let i = 0; i < perDay; i++) {
        clock.set(dayStart + HOUR + ((i + rand()) / perDay) * 8 * HOUR);
        const scenario = pick(SCENARIOS);
        const order = 10_000 + Math.floor(rand() * 89_999);
        const { conversationId, holder } = await arrive(
          fill(scenario.lines[0], order),
          scenario.team,
          {
            plan: pick(["Free", "Plus", "Pro"]),
            orderId: `A-${order}`,
          },
        );
        const agent = holder ?? pick(agents);
        let supervisorCloses = false;
        if (!holder) supervisorCloses = true; // nobody had room: the supervisor answers
        const speaker = supervisorCloses ? staff.find((s) => s.role === "supervisor")! : agent;
        for (let line = 1; line < scenario.lines.length; line++) {
          clock.set(clock.now() + (1 + rand() * 4) * MINUTE);
          const text = fill(scenario.lines[line], order);
          if (line % 2 === 1) {
            await appendStaffMessage(engine, conversationId, speaker, {
              text,
              clientId: crypto.randomUUID(),
            });
          } else {
            await receiveCustomerMessage(engine, {
              channel: "webchat",
              contact: { webVisitorId: `demo-visitor-${n}` },
              clientId: crypto.randomUUID(),
              text,
            });
          }
        }
        clock.set(clock.now() + (1 + rand() * 3) * MINUTE);
        await closeConversation(engine, conversationId, speaker, {
          notes: fill(scenario.notes, order),
          tags: scenario.tags,
        });
        closed++;
      }
      const isToday = day === days - 1;
      if (!isToday) {
        clock.set(dayStart + 10 * HOUR);
        for (const a of agents) await setAgentStatus(engine, a.id, "offline");
      }
      log(`day ${day + 1}/${days}: ${closed} closed`);
    }

    // Now: a few chats being answered, then a few waiting in the queue.
    clock.set(Math.max(clock.now(), realNow - 20 * MINUTE));
    for (const [i, line] of OPEN_LINES.slice(0, 3).entries()) {
      clock.set(clock.now() + 2 * MINUTE);
      const order = 20_000 + i;
      const { conversationId, holder } = await arrive(fill(line, order), null, { plan: "Pro" });
      if (holder) {
        clock.set(clock.now() + MINUTE);
        await appendStaffMessage(engine, conversationId, holder, {
          text: "Hi! Let me look into that for you.",
          clientId: crypto.randomUUID(),
        });
      }
      open++;
    }
    clock.set(clock.now() + MINUTE);
    for (const a of agents) await setAgentStatus(engine, a.id, "offline");
    for (const [i, line] of OPEN_LINES.slice(3).entries()) {
      clock.set(clock.now() + 2 * MINUTE);
      await arrive(fill(line, 30_000 + i), i === 0 ? "Billing" : null, { plan: "Plus" });
      open++;
    }
    return {
      accounts: staff.length,
      teams: teams.size,
      quickResponses: DEMO_QUICK_RESPONSES.length,
      closed,
      open,
    };
  });
}

/** What the task prints when it is done: where to sign in, and as whom. */
export function demoSummaryLines(summary: DemoSummary, config: Pick<Config, "kvPath">): string[] {
  return [
    `Demo data ready in ${config.kvPath ?? "the default KV"}: ${summary.accounts} accounts, ` +
    `${summary.teams} teams, ${summary.quickResponses} quick responses, ` +
    `${summary.closed} closed conversations over 30 days, ${summary.open} open now.`,
    `Start Parley (deno task start) and sign in with password "${DEMO_PASSWORD}" as:`,
    ...DEMO_STAFF.map((s) => `  ${s.email.padEnd(28)} ${s.role}${s.team ? ` (${s.team})` : ""}`),
  ];
}
