/** Routing settings in KV, read on every decision so changes take effect live. */
import type { Settings } from "../../domain/engine_types.ts";
import { type SettingsUpdate, withDefaults } from "../../domain/settings.ts";
import { cleanTagList } from "../../domain/wrap_up.ts";
import { keys } from "../keys.ts";
import { triggerAssignment } from "./assignment.ts";
import { getSettingsEntry } from "./records.ts";
import { mutate } from "./tx.ts";
import type { Engine } from "./engine.ts";
import { EngineOp } from "./op.ts";

export { getSettings } from "./records.ts";

/**
 * Applies a partial update (validated with settingsUpdateSchema) and runs
 * assignment, since a higher max or dynamic assignment turned on may let
 * queued chats go out at once. Lowering max chats takes nothing away from
 * agents; they get no new chats until below the new max.
 */
export async function updateSettings(
  engine: Engine,
  update: SettingsUpdate,
  byAgentId: string | null = null,
): Promise<Settings> {
  const { kv } = engine;
  const settings = await mutate(engine, async () => {
    const { entry } = await getSettingsEntry(kv);
    // Only what was saved is stored: defaults stay defaults (and may change in a later version).
    const saved = { ...(entry.value ?? {}), ...stripUndefined(update) } as Partial<Settings>;
    if (saved.wrapUpTags) saved.wrapUpTags = cleanTagList(saved.wrapUpTags);
    if (update.inactivityWarningText) {
      // Per language: a language left out keeps its text ("" falls back to the default one).
      saved.inactivityWarningText = stripUndefined({
        ...(entry.value?.inactivityWarningText ?? {}),
        ...update.inactivityWarningText,
      }) as Record<string, string>;
    }
    const next = withDefaults(saved);
    const op = new EngineOp().check(entry).set(keys.routingSettings(), saved);
    return {
      op,
      value: next,
      changes: [{ type: "settings.updated", data: { ...next, byAgentId } }],
    };
  });
  await triggerAssignment(engine);
  return settings;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
