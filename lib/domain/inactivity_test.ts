/** The inactivity warning's language: the customer's when Parley has it (Portuguese too), else English. */
import assert from "node:assert/strict";
import { customerLanguage, DEFAULT_WARNING_TEXT, warningText } from "./inactivity.ts";
import { DEFAULT_SETTINGS } from "./settings.ts";

Deno.test("[inactivity] a Portuguese customer is warned in Portuguese, an unknown language in English", () => {
  assert.equal(customerLanguage({ language: "pt-BR" }), "pt");
  assert.equal(customerLanguage({ language: "es-MX" }), "es");
  assert.equal(customerLanguage({ language: "fr-FR" }), "en");
  assert.match(warningText(DEFAULT_SETTINGS, "pt"), /^Você ainda está aí\?/);
  // A store saved before Portuguese existed has no "pt" text: the built-in one fills it.
  const older = {
    ...DEFAULT_SETTINGS,
    inactivityWarningText: { en: "Still there?", es: "¿Sigues?" },
  };
  assert.equal(warningText(older, "pt"), DEFAULT_WARNING_TEXT.pt);
  assert.equal(warningText({ ...older, inactivityWarningText: { pt: " Oi? " } }, "pt"), "Oi?");
});
