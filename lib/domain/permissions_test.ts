import assert from "node:assert/strict";
import type { AgentStatus, Conversation } from "./engine_types.ts";
import { DEFAULT_SETTINGS } from "./settings.ts";
import { canView, checkClose, checkPickup, checkTransfer, checkWrite } from "./permissions.ts";
import { maxChatsFor } from "./routing.ts";

const settings = { ...DEFAULT_SETTINGS, maxChatsPerAgent: 2 };
const agent = { id: "a1", role: "agent", teamId: null };
const supervisor = { id: "s1", role: "supervisor", teamId: null };
const active = (assigneeId: string): Pick<Conversation, "status" | "assigneeId" | "teamId"> => ({
  status: "active",
  assigneeId,
  teamId: null,
});
const load = (n: number, transferred = 0) => ({
  conversationIds: Array.from({ length: n }, (_, i) => `c${i}`),
  transferredIds: Array.from({ length: transferred }, (_, i) => `c${i}`),
  lastAssignedAt: null,
});
const target = (role: string, status: AgentStatus, held: number, transferred = 0) => ({
  id: "t1",
  role,
  active: true,
  // No max chats of its own: the global setting applies.
  maxChats: maxChatsFor({ maxChats: null }, settings),
  status,
  heldChats: held,
  transferredChats: transferred,
});

Deno.test("[engine] transfer matrix: caller × target role × status × capacity × requeueOnOffline", () => {
  const statuses: AgentStatus[] = ["online", "busy", "offline"];
  for (const requeueOnOffline of [true, false]) {
    const limits = { ...settings, requeueOnOffline };
    for (const callerRole of ["agent", "supervisor"] as const) {
      const caller = callerRole === "agent" ? agent : supervisor;
      for (const targetRole of ["agent", "supervisor"]) {
        for (const status of statuses) {
          for (const atCapacity of [false, true]) {
            const t = target(targetRole, status, atCapacity ? 2 : 1);
            const refusal = checkTransfer(caller, active(caller.id), t, limits);
            // Nobody hands a chat to an Offline person who would strand it (issue 16);
            // a supervisor may when Offline holders keep their chats (requeueOnOffline off).
            const offlineRefused = status === "offline" &&
              (callerRole === "agent" || requeueOnOffline);
            const allowed = !offlineRefused &&
              (callerRole === "supervisor" || targetRole === "supervisor" ||
                (status === "online" && !atCapacity));
            const label = `${callerRole} → ${targetRole} ${status} ${
              atCapacity ? "at" : "below"
            } max, requeueOnOffline ${requeueOnOffline}`;
            assert.equal(refusal === null, allowed, label);
            if (!allowed) {
              assert.equal(refusal!.status, 409, label);
              const expected = callerRole === "agent" && targetRole === "agent"
                ? (status !== "online" ? "target_not_online" : "target_at_capacity")
                : "target_offline";
              assert.equal(refusal!.code, expected, label);
            }
          }
        }
      }
    }
  }
});

Deno.test("[engine] transfer refusals: not your chat, closed, same agent, inactive, transfer limit", () => {
  const t = target("agent", "online", 0);
  assert.equal(checkTransfer(agent, active("someone-else"), t, settings)?.code, "not_your_chat");
  assert.equal(checkTransfer(agent, active("someone-else"), t, settings)?.status, 403);
  assert.equal(
    checkTransfer(supervisor, { status: "closed", assigneeId: "x", teamId: null }, t, settings)
      ?.code,
    "conversation_closed",
  );
  assert.equal(checkTransfer(supervisor, active("t1"), t, settings)?.code, "same_agent");
  assert.equal(
    checkTransfer(supervisor, active("x"), { ...t, active: false }, settings)?.code,
    "target_inactive",
  );
  const limited = { ...settings, maxTransfersPerAgent: 1, maxChatsPerAgent: 5 };
  assert.equal(
    checkTransfer(agent, active("a1"), target("agent", "online", 1, 1), limited)?.code,
    "target_transfer_limit",
  );
  assert.equal(
    checkTransfer(supervisor, active("a1"), target("agent", "online", 1, 1), limited),
    null,
    "the transfer limit binds agents only",
  );
  assert.equal(
    checkTransfer(supervisor, active("a1"), { ...target("agent", "busy", 9), id: "s1" }, settings),
    null,
    "a supervisor may take a chat itself, whatever its load",
  );
  assert.equal(
    checkTransfer(
      supervisor,
      active("a1"),
      { ...target("agent", "offline", 0), id: "s1" },
      settings,
    )
      ?.code,
    "target_offline",
    "but not while Offline: the chat would go straight back to the queue",
  );
});

Deno.test("[engine] view, write, close and pickup rules", () => {
  assert.ok(canView(agent, active("a1")));
  assert.ok(!canView(agent, active("a2")));
  assert.ok(canView(supervisor, active("a2")));
  assert.ok(canView(agent, { status: "pending", assigneeId: null, teamId: null }));
  assert.ok(!canView(agent, { status: "pending", assigneeId: null, teamId: "t" }));
  assert.ok(
    canView({ ...agent, teamId: "t" }, { status: "pending", assigneeId: null, teamId: "t" }),
  );
  assert.equal(checkWrite(agent, active("a2"))?.status, 403);
  assert.equal(checkWrite(supervisor, active("a2")), null);
  assert.equal(checkClose(agent, active("a1")), null);
  assert.equal(checkClose(agent, active("a2"))?.code, "not_your_chat");
  assert.equal(checkClose(supervisor, active("a2")), null);
  const pending = { status: "pending" as const, assigneeId: null, teamId: null };
  const me = { ...agent, maxChats: null };
  assert.equal(checkPickup(me, "online", load(1), pending, settings), null);
  assert.equal(checkPickup(me, "busy", load(1), pending, settings), null);
  assert.equal(checkPickup(me, "offline", load(0), pending, settings)?.code, "agent_offline");
  assert.equal(checkPickup(me, "online", load(2), pending, settings)?.code, "at_capacity");
  assert.equal(
    checkPickup({ ...me, maxChats: 3 }, "online", load(2), pending, settings),
    null,
    "the agent's own max overrides the global one",
  );
  assert.equal(checkPickup(me, "online", load(0), active("x"), settings)?.code, "not_pending");
  const boss = { ...supervisor, maxChats: null };
  assert.equal(checkPickup(boss, "busy", load(9), pending, settings), null, "any load");
  assert.equal(
    checkPickup(boss, "offline", load(0), pending, settings)?.code,
    "agent_offline",
    "an Offline supervisor's chat would go straight back to the queue",
  );
  assert.equal(
    checkPickup(boss, "offline", load(9), pending, { ...settings, requeueOnOffline: false }),
    null,
    "with requeueOnOffline off, Offline holders keep chats",
  );
});
