/**
 * The Deno KV key layout of Parley: every key shape the app writes, in one place.
 *
 * Staff and auth
 *   ["agents", agentId]                          -> Agent (with password hash; `locale` the language of their pages)
 *   ["agents_by_email", email]                   -> agentId
 *   ["sessions", sha256(token)]                  -> Session            (expireIn = session TTL)
 *   ["sessions_by_agent", agentId, sha256(token)] -> true               (expireIn = session TTL)
 *   ["login_attempts", "ip", address]            -> { count, windowStart } (sign-in attempts; expireIn = window)
 *   ["login_attempts", "pair", email, address]   -> { count, windowStart } (attempts at one email from one address)
 *   ["login_attempts", "account", email]         -> { count, windowStart } (attempts at one email from anywhere)
 *   ["login_known_address", email, address]      -> true               (signed in from here; expireIn 30 days)
 *   ["setup_code"]                               -> string             (one-time first-admin code)
 *
 * Change log (lib/store/changes.ts, change_shards.ts; docs/engine.md "Change log shards")
 *   ["change_heads", shard]                      -> number  the seq of the shard's newest change (shard 0..N-1)
 *   ["change_log", shard, seq]                   -> Change  (expireIn 1 h; shard = by conversation, 0 for the rest)
 *   ["schema", "change_log"]                     -> ChangeLayout { shards: N, legacyHead } (N fixed at creation)
 *   ["change_head"], ["changes", seq]            -> the single log of stores from before the shards: moved
 *                                                   to shard 0 once at start (the old entries expire)
 *
 * Real-time (lib/realtime)
 *   ["typing", shard]                            -> TypingSignal[]     (expireIn = 12 s; shard 0..9)
 *   ["instances", instanceId]                    -> { at }  a running instance (refreshed every 10 s; expireIn 30 s)
 *
 * Web widget (lib/store/sites.ts, lib/auth/visitor_token.ts, lib/channels/webchat_limits.ts)
 *   ["sites", siteId]                            -> Site
 *   ["sites_by_key", siteKey]                    -> siteId
 *   ["sites_by_name", siteNameKey(name)]         -> siteId (two sites never share a name)
 *   ["visitor_token_secret"]                     -> Uint8Array (32 random bytes, made once)
 *   ["widget_rate", visitorOrIp, bucket]         -> { count, windowStart } (expireIn = window)
 *   ["held_details", channel, externalId]        -> HeldDetails for the customer's next message (expireIn 1 day;
 *                                                   engine/held_details.ts; any channel, web chat's by visitorId)
 *   ["schema", "held_details"]                   -> 2 once web chat's held details left their first key,
 *                                                   ["widget_pending", visitorId] (moved once at start)
 *   ["schema", "status_index"]                   -> 2 once the status index is in its current order
 *   ["schema", "metrics"]                        -> 1 once the metrics counters hold every stored conversation
 *   ["schema", "metrics_backfill"]               -> conversationId (the backfill's progress, while under way)
 *   ["schema", "search"]                         -> 1 once the search index holds every stored conversation
 *   ["schema", "search_backfill"]                -> conversationId (the search backfill's progress, while under way)
 *
 * Admin console (lib/store/teams.ts, quick_responses.ts, audit.ts, invites.ts)
 *   ["teams", teamId]                            -> Team
 *   ["teams_by_name", lowercased name]           -> teamId
 *   ["quick_responses", qrId]                    -> QuickResponse
 *   ["quick_responses_by_scope", scopeKey, qrId] -> true   (scopeKey "everyone" | "team:ID" | "personal:ID")
 *   ["quick_responses_by_shortcut", scopeKey, shortcut] -> qrId  (a shortcut is unique per scope)
 *   ["audit", auditId]                           -> AuditEntry  (time-ordered ids, newest last)
 *   ["invites", sha256(token)]                   -> Invite      (expireIn = invite TTL)
 *   ["invites_by_agent", agentId]                -> sha256(token) (expireIn = invite TTL)
 *
 * Business hours (lib/store/business_hours.ts; rules in lib/domain/business_hours.ts)
 *   ["business_hours", "default"]                -> BusinessHours (absent: always open)
 *   ["business_hours", "team", teamId]           -> BusinessHours (absent: the team follows the default)
 *
 * Integrations (lib/store/api_keys.ts)
 *   ["api_keys", keyId]                          -> StoredApiKey (name, scopes, sha256 of the token, revokedAt)
 *   ["api_keys_by_hash", sha256(token)]          -> keyId  (deleted when the key is revoked)
 *
 * Outgoing webhooks (lib/webhooks/: endpoints.ts, events.ts, dispatch.ts)
 *   ["webhooks", endpointId]                     -> StoredWebhookEndpoint (url, events, secret, active)
 *   ["webhook_deliveries", endpointId, deliveryId] -> WebhookDelivery (payload, attempts, status; expireIn 7 d)
 *   ["webhook_cursor"]                           -> Cursor (number per change-log shard the dispatcher has fanned
 *                                                   out; a single number in stores from before the shards)
 *
 * WhatsApp (lib/store/whatsapp_config.ts, lib/channels/whatsapp*.ts)
 *   ["whatsapp_config"]                          -> StoredWhatsAppConfig (secrets; never logged)
 *   ["whatsapp_outbound", messageId]             -> OutboundDelivery (attempts, wamid, state)
 *   ["whatsapp_by_wamid", wamid]                 -> { messageId, conversationId }
 *   ["whatsapp_outbound_parts", messageId]       -> string[] wamids of a reply's parts already accepted (a reply
 *                                                   with files is several Graph messages; expireIn 30 d)
 *   ["whatsapp_early_status", wamid, status]     -> WhatsAppStatus (expireIn = 7 d; before the wamid is linked)
 *   ["whatsapp_media", mediaId]                  -> { customerId, conversationId?, mimeType }
 *   ["whatsapp_window", customerId]              -> { lastCustomerMessageAt } (24-hour window)
 *   ["whatsapp_inbox", customerId, sentAtMs, arrivalId] -> WhatsAppInbound (drained in order)
 *   ["whatsapp_inbox_lease", customerId]         -> { id, until }  (expireIn = 2 min; one drainer)
 *   ["whatsapp_tick"]                            -> chainId  (the live inbox-sweep job chain)
 *   ["whatsapp_user", bsuid]                     -> customerId (the id a business-scoped user id maps to)
 *   ["whatsapp_templates", name, language]       -> WhatsAppTemplate (the WABA's templates, cached; store/whatsapp_templates.ts)
 *   ["whatsapp_templates_state"]                 -> TemplatesState { fetchedAt, businessAccountId, error }
 *
 * Conversation engine (lib/store/engine/*.ts; docs/engine.md)
 *   ["settings", "routing"]                      -> Settings (routing settings, read live)
 *   ["presence", agentId]                        -> Presence (changes only when the status changes)
 *   ["heartbeats", agentId]                      -> number (ms of the last heartbeat; apart, so beats never race assignment)
 *   ["agent_load", agentId]                      -> AgentLoad { conversationIds, transferredIds, lastAssignedAt }
 *   ["contacts", contactId]                      -> Contact
 *   ["contacts_by_channel", channel, externalId] -> contactId (web visitor id or WhatsApp id)
 *   ["contact_conversations", contactId, conversationId] -> channel (history; ids are time-ordered)
 *   ["contact_open", contactId, channel]         -> conversationId (the contact's open conversation)
 *   ["conversations", conversationId]            -> Conversation (holds lastSeq: the message counter)
 *   ["conversations_by_status", status, sinceMs, conversationId] -> true (since the status began: engine/status_index.ts)
 *   ["conversations_by_assignee", agentId, conversationId] -> true (open chats an agent holds)
 *   ["closed_by_agent", agentId, closedMs, conversationId] -> true (chats an agent held at close)
 *   ["queue", rank, conversationId]              -> teamId | null (the Pending queue; front = lowest rank)
 *   ["messages", conversationId, seq]            -> Message (seq 1, 2, 3, ... never reused)
 *   ["message_ids", messageId]                   -> { conversationId, seq }
 *   ["message_client_ids", scope, clientId]      -> { conversationId, seq } (scope "contact:ID" | "staff:CONVID" | "handoff:BOTID")
 *   ["read_markers", conversationId, agentId]    -> { seq, customerCount }
 *   ["engine_tick"]                              -> string (id of the live sweep job chain)
 *   ["retention_tick"]                           -> string (id of the live retention job chain: engine/retention.ts)
 *   ["retention_cursor"]                         -> [closedMs, conversationId] (the last closed chat retention handled)
 *
 * Attachments (lib/store/attachments.ts; docs/engine.md "Attachments")
 *   ["attachments", attachmentId]                -> StoredAttachment (name, type, size, owner, conversationId,
 *                                                   messageId: null until a message committed with it)
 *   ["attachment_chunks", attachmentId, index]   -> Uint8Array (the file in 60 KiB pieces, index 0, 1, 2, ...)
 *
 * Search (lib/store/engine/search_index.ts, search_query.ts; docs/engine.md "Search"): kept in each commit
 *   ["search", term, conversationId]             -> number (seq of the latest message with the term) | "c" (the
 *                                                   contact's name, email or phone) | "w" (wrap-up notes or tags)
 *   ["search_contact_terms", conversationId, term] -> true (contact-detail terms indexed for the conversation:
 *                                                   what an erasure must remove, as contact details change)
 *   ["search_held", agentId, conversationId]     -> true (the agent held the chat at some time: an agent's search scope)
 *
 * Metrics (lib/store/engine/metrics.ts; docs/engine.md "Metrics"): KV sum counters, kept in each commit
 *   ["metrics", scope, grain, bucketStartMs, counter]        -> Deno.KvU64
 *   ["metrics", scope, grain, bucketStartMs, histogram, bin] -> Deno.KvU64 (fixed bins: metrics.ts BIN_EDGES_S)
 *   ["metrics", "by_agent"[/channel:C], "d", dayStartMs, agentId, counter] -> Deno.KvU64 (agents' day counters, day first)
 *   ["status_time", dayStartMs, agentId, status]           -> Deno.KvU64 ms in that status that UTC day (engine/status_time.ts)
 *     scope "all" | "team:ID" | "agent:ID"; grain "h" (hour) | "d" (day), UTC; counter created, picked_up,
 *     pickup_ms, first_responses, first_response_ms, closed, handled, handle_ms, transferred, abandoned;
 *     histogram pickup | first_response | handle
 */

export type Key = Deno.KvKey;

export const keys = {
  agent: (id: string): Key => ["agents", id],
  agentsPrefix: (): Key => ["agents"],
  agentByEmail: (email: string): Key => ["agents_by_email", email],
  session: (tokenHash: string): Key => ["sessions", tokenHash],
  sessionByAgent: (
    agentId: string,
    tokenHash: string,
  ): Key => ["sessions_by_agent", agentId, tokenHash],
  sessionsByAgentPrefix: (agentId: string): Key => ["sessions_by_agent", agentId],
  loginAttempts: (kind: "ip" | "pair" | "account", ...subject: string[]): Key => [
    "login_attempts",
    kind,
    ...subject,
  ],
  loginKnownAddress: (email: string, address: string): Key => [
    "login_known_address",
    email,
    address,
  ],
  setupCode: (): Key => ["setup_code"],
  retentionTick: (): Key => ["retention_tick"],
  retentionCursor: (): Key => ["retention_cursor"],
  /** A change-log shard's head (./change_shards.ts). */
  changeHead: (shard: number): Key => ["change_heads", shard],
  changeHeadsPrefix: (): Key => ["change_heads"],
  /** One change-log entry. */
  changeEntry: (shard: number, seq: number): Key => ["change_log", shard, seq],
  /** How a store's change log is laid out (shard count; the old log's head). */
  changeLogLayout: (): Key => ["schema", "change_log"],
  typingShard: (shard: number): Key => ["typing", shard],
  instance: (id: string): Key => ["instances", id],
  instancesPrefix: (): Key => ["instances"],
  site: (id: string): Key => ["sites", id],
  sitesPrefix: (): Key => ["sites"],
  siteByKey: (siteKey: string): Key => ["sites_by_key", siteKey],
  siteByName: (nameKey: string): Key => ["sites_by_name", nameKey],
  visitorTokenSecret: (): Key => ["visitor_token_secret"],
  widgetRate: (subject: string, bucket: string): Key => ["widget_rate", subject, bucket],
  /** Details held for a customer's next message, for every channel alike. */
  heldDetails: (channel: string, externalId: string): Key => ["held_details", channel, externalId],
  /** Where web chat held them before: read only by the once-at-start move (engine/held_details.ts). */
  widgetPendingPrefix: (): Key => ["widget_pending"],
  /** Which layout version a store's held details have (engine/held_details.ts). */
  heldDetailsVersion: (): Key => ["schema", "held_details"],
  /** Which layout version a store's conversation status index has (engine/status_index.ts). */
  statusIndexVersion: (): Key => ["schema", "status_index"],
  /** Whether a store's metrics counters were backfilled (engine/metrics_backfill.ts). */
  metricsVersion: (): Key => ["schema", "metrics"],
  metricsBackfillCursor: (): Key => ["schema", "metrics_backfill"],
  /** Whether a store's search index was backfilled (engine/search_backfill.ts). */
  searchVersion: (): Key => ["schema", "search"],
  searchBackfillCursor: (): Key => ["schema", "search_backfill"],
  /** One posting of the search index: `term` occurs in the conversation. */
  searchPosting: (term: string, conversationId: string): Key => ["search", term, conversationId],
  searchPostingsPrefix: (term: string): Key => ["search", term],
  searchContactTerm: (conversationId: string, term: string): Key => [
    "search_contact_terms",
    conversationId,
    term,
  ],
  searchContactTermsPrefix: (
    conversationId: string,
  ): Key => ["search_contact_terms", conversationId],
  searchHeld: (agentId: string, conversationId: string): Key => [
    "search_held",
    agentId,
    conversationId,
  ],
  searchHeldPrefix: (agentId: string): Key => ["search_held", agentId],
  team: (id: string): Key => ["teams", id],
  teamsPrefix: (): Key => ["teams"],
  teamByName: (name: string): Key => ["teams_by_name", name],
  quickResponse: (id: string): Key => ["quick_responses", id],
  quickResponsesPrefix: (): Key => ["quick_responses"],
  quickResponseByScope: (scope: string, id: string): Key => ["quick_responses_by_scope", scope, id],
  quickResponsesByScopePrefix: (scope: string): Key => ["quick_responses_by_scope", scope],
  quickResponseByShortcut: (
    scope: string,
    shortcut: string,
  ): Key => ["quick_responses_by_shortcut", scope, shortcut],
  audit: (id: string): Key => ["audit", id],
  auditPrefix: (): Key => ["audit"],
  invite: (tokenHash: string): Key => ["invites", tokenHash],
  inviteByAgent: (agentId: string): Key => ["invites_by_agent", agentId],
  defaultHours: (): Key => ["business_hours", "default"],
  teamHours: (teamId: string): Key => ["business_hours", "team", teamId],
  apiKey: (id: string): Key => ["api_keys", id],
  apiKeysPrefix: (): Key => ["api_keys"],
  apiKeyByHash: (tokenHash: string): Key => ["api_keys_by_hash", tokenHash],
  webhook: (id: string): Key => ["webhooks", id],
  webhooksPrefix: (): Key => ["webhooks"],
  webhookDelivery: (endpointId: string, deliveryId: string): Key => [
    "webhook_deliveries",
    endpointId,
    deliveryId,
  ],
  webhookDeliveriesPrefix: (endpointId: string): Key => ["webhook_deliveries", endpointId],
  webhookCursor: (): Key => ["webhook_cursor"],
  whatsappConfig: (): Key => ["whatsapp_config"],
  whatsappOutbound: (messageId: string): Key => ["whatsapp_outbound", messageId],
  whatsappByWamid: (wamid: string): Key => ["whatsapp_by_wamid", wamid],
  whatsappOutboundParts: (messageId: string): Key => ["whatsapp_outbound_parts", messageId],
  whatsappEarlyStatus: (wamid: string, status: string): Key => [
    "whatsapp_early_status",
    wamid,
    status,
  ],
  whatsappEarlyStatusPrefix: (wamid: string): Key => ["whatsapp_early_status", wamid],
  whatsappMedia: (mediaId: string): Key => ["whatsapp_media", mediaId],
  whatsappWindow: (customerId: string): Key => ["whatsapp_window", customerId],
  whatsappInbox: (customerId: string, sentAtMs: number, arrivalId: string): Key => [
    "whatsapp_inbox",
    customerId,
    sentAtMs,
    arrivalId,
  ],
  whatsappInboxPrefix: (customerId: string): Key => ["whatsapp_inbox", customerId],
  whatsappInboxLease: (customerId: string): Key => ["whatsapp_inbox_lease", customerId],
  whatsappInboxesPrefix: (): Key => ["whatsapp_inbox"],
  whatsappTick: (): Key => ["whatsapp_tick"],
  whatsappUser: (userId: string): Key => ["whatsapp_user", userId],
  whatsappTemplate: (name: string, language: string): Key => ["whatsapp_templates", name, language],
  whatsappTemplatesPrefix: (): Key => ["whatsapp_templates"],
  whatsappTemplatesState: (): Key => ["whatsapp_templates_state"],
  routingSettings: (): Key => ["settings", "routing"],
  presence: (agentId: string): Key => ["presence", agentId],
  heartbeat: (agentId: string): Key => ["heartbeats", agentId],
  agentLoad: (agentId: string): Key => ["agent_load", agentId],
  agentLoadPrefix: (): Key => ["agent_load"],
  contact: (id: string): Key => ["contacts", id],
  contactByChannel: (channel: string, externalId: string): Key => [
    "contacts_by_channel",
    channel,
    externalId,
  ],
  contactConversation: (contactId: string, conversationId: string): Key => [
    "contact_conversations",
    contactId,
    conversationId,
  ],
  contactConversationsPrefix: (contactId: string): Key => ["contact_conversations", contactId],
  contactOpen: (contactId: string, channel: string): Key => ["contact_open", contactId, channel],
  conversation: (id: string): Key => ["conversations", id],
  conversationByStatus: (status: string, sinceMs: number, id: string): Key => [
    "conversations_by_status",
    status,
    sinceMs,
    id,
  ],
  conversationsByStatusPrefix: (status: string): Key => ["conversations_by_status", status],
  conversationByAssignee: (agentId: string, id: string): Key => [
    "conversations_by_assignee",
    agentId,
    id,
  ],
  conversationsByAssigneePrefix: (agentId: string): Key => ["conversations_by_assignee", agentId],
  closedByAgent: (agentId: string, closedMs: number, id: string): Key => [
    "closed_by_agent",
    agentId,
    closedMs,
    id,
  ],
  closedByAgentPrefix: (agentId: string): Key => ["closed_by_agent", agentId],
  queueEntry: (rank: number, conversationId: string): Key => ["queue", rank, conversationId],
  queuePrefix: (): Key => ["queue"],
  message: (conversationId: string, seq: number): Key => ["messages", conversationId, seq],
  messagesPrefix: (conversationId: string): Key => ["messages", conversationId],
  messageClientId: (scope: string, clientId: string): Key => [
    "message_client_ids",
    scope,
    clientId,
  ],
  messageById: (messageId: string): Key => ["message_ids", messageId],
  readMarker: (conversationId: string, agentId: string): Key => [
    "read_markers",
    conversationId,
    agentId,
  ],
  engineTick: (): Key => ["engine_tick"],
  attachment: (id: string): Key => ["attachments", id],
  attachmentChunk: (id: string, index: number): Key => ["attachment_chunks", id, index],
  attachmentChunksPrefix: (id: string): Key => ["attachment_chunks", id],
  /** A metrics counter of one scope's hour or day bucket (engine/metrics.ts). */
  metric: (scope: string, grain: string, bucketMs: number, counter: string): Key => [
    "metrics",
    scope,
    grain,
    bucketMs,
    counter,
  ],
  /** One bin of a metrics histogram (engine/metrics.ts BIN_EDGES_S). */
  metricBin: (
    scope: string,
    grain: string,
    bucketMs: number,
    histogram: string,
    bin: number,
  ): Key => [
    "metrics",
    scope,
    grain,
    bucketMs,
    histogram,
    bin,
  ],
  /** One agent's day counter in the "by_agent" family (engine/metrics.ts), day before agent. */
  metricByAgent: (family: string, dayMs: number, agentId: string, counter: string): Key => [
    "metrics",
    family,
    "d",
    dayMs,
    agentId,
    counter,
  ],
  /** Milliseconds an agent spent in a status on one UTC day (engine/status_time.ts). */
  statusTime: (dayMs: number, agentId: string, status: string): Key => [
    "status_time",
    dayMs,
    agentId,
    status,
  ],
  metricsPrefix: (): Key => ["metrics"],
};
