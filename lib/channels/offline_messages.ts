/**
 * Offline messages (issue 16, item 4): out of hours, or with nobody Online,
 * the widget takes a message and an email address instead of a live chat.
 * It arrives as a Pending chat marked `offlineMessage` on the site's team
 * queue (the workspace shows an "Offline message" badge), with the email and
 * name on the contact, so whoever picks it up answers by email (Parley sends
 * no email itself) or in the chat if the visitor comes back to the page.
 *
 * Decisions: the form is accepted whatever the availability is at that
 * moment (a visitor who saw "closed" a minute ago is not turned away); a
 * visitor who already has an open chat just adds the message to it. Bad input
 * is a 400 naming the field, before anything is stored.
 */
import { z } from "zod";
import { clientId, messageText } from "../domain/boundary.ts";
import type { CustomerMessage } from "../domain/engine_types.ts";
import { receiveCustomerMessage, toCustomerMessage } from "../store/engine/mod.ts";
import type { Engine } from "../store/engine/engine.ts";
import { AppError } from "../errors.ts";
import {
  type VisitorAccess,
  type VisitorConversationView,
  visitorConversationView,
  type VisitorDetails,
} from "./webchat.ts";

/** The widget's offline form: a message, an email address (required), a name (optional). */
export const offlineMessageSchema = z.object({
  text: messageText("Write a message first."),
  email: z.string().trim().min(1, "Enter your email address, so we can answer you.")
    .max(254, "An email address is at most 254 characters.")
    .email("Enter a valid email address, such as name@example.com."),
  name: z.string().trim().max(200, "A name is at most 200 characters.").optional(),
  clientId,
  /** The host page, shown to the agent beside the context (as for messages). */
  page: z.string().max(2000).optional(),
}).strict();
export type OfflineMessageInput = z.infer<typeof offlineMessageSchema>;

/** Leaves an offline message: a new Pending chat marked `offlineMessage` (or the open one). */
export async function leaveOfflineMessage(
  engine: Engine,
  access: VisitorAccess,
  input: Omit<OfflineMessageInput, "page">,
  about: VisitorDetails = {},
): Promise<{ message: CustomerMessage; conversation: VisitorConversationView }> {
  const result = await receiveCustomerMessage(engine, {
    channel: "webchat",
    contact: {
      webVisitorId: access.claims.visitorId,
      email: input.email,
      ...(input.name ? { name: input.name } : {}),
    },
    clientId: input.clientId,
    text: input.text,
    ...(Object.keys(about).length ? { context: { ...about } } : {}),
    teamId: access.site.teamId,
    offlineMessage: true,
  });
  const message = toCustomerMessage(result.message);
  if (!message) throw new AppError(409, "busy", "The message is not visible; try again.");
  return { message, conversation: await visitorConversationView(engine.kv, result.conversation) };
}
