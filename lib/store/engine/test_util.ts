/** Small factories for engine tests on a fresh `:memory:` KV. Not used by the app. */
import assert from "node:assert/strict";
import { AppError } from "../../errors.ts";
import { type Agent, createAgent, type Role } from "../agents.ts";
import { keys } from "../keys.ts";
import { type Change, readChangesSince, readHead } from "../changes.ts";
import { receiveCustomerMessage } from "./customer.ts";
import { noteCustomerMessage } from "../../channels/whatsapp_window.ts";
import { Engine } from "./engine.ts";

let n = 0;

/** A staff account (fast password hash). */
export async function randomAgent(
  kv: Deno.Kv,
  role: Role = "agent",
  extra: { maxChats?: number | null; teamId?: string | null; name?: string } = {},
): Promise<Agent> {
  n++;
  return await createAgent(kv, {
    name: extra.name ?? `${role} ${n}`,
    email: `${role}${n}-${crypto.randomUUID().slice(0, 8)}@example.test`,
    password: "password-for-tests",
    role,
    maxChats: extra.maxChats ?? null,
    teamId: extra.teamId ?? null,
  }, 1000);
}

/** A customer message from a new (or the given) web visitor. */
export async function customerSays(
  engine: Engine,
  text = "Hello",
  visitor = `visitor-${crypto.randomUUID()}`,
  extra: { teamId?: string | null; clientId?: string } = {},
) {
  return await receiveCustomerMessage(engine, {
    channel: "webchat",
    contact: { webVisitorId: visitor },
    clientId: extra.clientId ?? crypto.randomUUID(),
    text,
    teamId: extra.teamId,
  });
}

/**
 * A WhatsApp customer message as the channel stores it: the customer's 24-hour
 * window is noted first (at `sentAt`, default now), then the engine gets it.
 */
export async function whatsappCustomerSays(
  engine: Engine,
  waId: string,
  text = "Hola",
  extra: { sentAt?: string; clientId?: string } = {},
) {
  await noteCustomerMessage(engine.kv, waId, extra.sentAt ?? new Date().toISOString());
  return await receiveCustomerMessage(engine, {
    channel: "whatsapp",
    contact: { whatsappId: waId },
    clientId: extra.clientId ?? `wamid.${crypto.randomUUID()}`,
    text,
  });
}

/** Pretends the agent's last heartbeat was `ageMs` ago. */
export async function ageHeartbeat(kv: Deno.Kv, agentId: string, ageMs: number): Promise<void> {
  await kv.set(keys.heartbeat(agentId), Date.now() - ageMs);
}

/** Every change in the log, oldest first. */
export async function allChanges(kv: Deno.Kv): Promise<Change[]> {
  const out: Change[] = [];
  let cursor = (await readHead(kv)).cursor.map(() => 0);
  for (;;) {
    const { changes, next } = await readChangesSince(kv, cursor, 500);
    if (changes.length === 0) return out;
    out.push(...changes);
    cursor = next;
  }
}

/** Runs `fn` with a fresh in-memory KV and its engine object, closed afterwards. */
export async function withKv(fn: (kv: Deno.Kv, engine: Engine) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv, new Engine(kv));
  } finally {
    kv.close();
  }
}

/** Asserts `p` rejects with a typed AppError of this status and code. */
export async function rejects(p: Promise<unknown>, status: number, code: string) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return true;
  });
}
