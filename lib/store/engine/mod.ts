/**
 * The conversation engine's store API, in one import (docs/engine.md lists
 * every function, record shape and change type).
 *
 * @example
 * import { receiveCustomerMessage } from "../store/engine/mod.ts";
 * const { conversation, message, duplicate } = await receiveCustomerMessage(engine, {
 *   channel: "whatsapp", contact: { whatsappId: "15551234567", name: "Ann" },
 *   clientId: "wamid.HBg...", text: "Hello",
 * });
 */
export { pickupConversation, runAssignment } from "./assignment.ts";
export { mergeContacts } from "./contacts.ts";
export { type ContactProfile, getContactProfile, updateContactDetails } from "./contact_profile.ts";
export { handOffConversation, type HandoffInput, handoffSchema } from "./handoff.ts";
export {
  type CustomerMessageInput,
  type CustomerMessageResult,
  getConversationContact,
  mergeContext,
  receiveCustomerMessage,
} from "./customer.ts";
export {
  getHeldDetails,
  type HeldDetails,
  type HeldUser,
  holdCustomerDetails,
} from "./held_details.ts";
export { INACTIVITY_JOB, type InactivityOutcome, runInactivityJob } from "./inactivity.ts";
export { registerEngineJobs, requeueUnanswered, sweep, SWEEP_JOB } from "./jobs.ts";
export { closeConversation } from "./close.ts";
export { requeueConversation, transferConversation, transferToQueue } from "./lifecycle.ts";
export { toCustomerMessage } from "./log.ts";
export {
  appendStaffMessage,
  type DeliveryUpdate,
  listMessagesForCustomer,
  listMessagesForStaff,
  markRead,
  type StaffMessageInput,
  unreadCounts,
  updateMessageDelivery,
  WHATSAPP_OUTBOUND_JOB,
} from "./messages.ts";
export {
  type AgentSummary,
  expireStalePresence,
  getAgentSummary,
  heartbeatAgent,
  listAgentSummaries,
  releaseAgent,
  setAgentStatus,
} from "./presence.ts";
export {
  type ConversationSummary,
  getContactHistory,
  getConversationDetail,
  getConversationFor,
  type HistoryItem,
  listConversations,
  type Page,
} from "./queries.ts";
export {
  findContact,
  getContact,
  getConversation,
  getLoad,
  getMessage,
  getMessageById,
  getOpenConversation,
  getPresence,
  getSettings,
} from "./records.ts";
export { updateSettings } from "./settings.ts";
export { requeueStranded } from "./stranded.ts";
export { returnToQueue } from "./return_to_queue.ts";
export { addSurveyScore, answerSurvey, type SurveyAnswerer } from "./survey.ts";
export type * from "../../domain/engine_types.ts";
