import assert from "node:assert/strict";
import { loadConfig } from "../../fresh.config.ts";
import {
  DEFAULT_GRAPH_URL,
  getStoredWhatsAppConfig,
  loadWhatsAppSettings,
  publicWhatsAppConfig,
  saveWhatsAppConfig,
  whatsAppConfigInputSchema,
} from "./whatsapp_config.ts";

Deno.test("[whatsapp] config store: KV values, environment overrides, secrets never shown", async (t) => {
  const kv = await Deno.openKv(":memory:");
  const bare = { kv, config: loadConfig({ KV_PATH: ":memory:" }) };
  try {
    await t.step("nothing configured: Meta's defaults, not configured", async () => {
      const s = await loadWhatsAppSettings(bare);
      assert.equal(s.graphUrl, DEFAULT_GRAPH_URL);
      assert.equal(s.appSecret, null);
      assert.equal((await publicWhatsAppConfig(bare)).configured, false);
    });

    await t.step(
      "saved values apply; the public view says only whether secrets are set",
      async () => {
        await saveWhatsAppConfig(kv, {
          phoneNumberId: "106540352242922",
          accessToken: "EAAG-secret-token",
          appSecret: "app-secret-value",
          verifyToken: "verify-token-value",
          graphUrl: "http://127.0.0.1:9/",
        }, "admin-1");
        const s = await loadWhatsAppSettings(bare);
        assert.equal(s.accessToken, "EAAG-secret-token");
        assert.equal(s.graphUrl, "http://127.0.0.1:9", "trailing slash trimmed");
        const shown = await publicWhatsAppConfig(bare);
        const json = JSON.stringify(shown);
        for (const secret of ["EAAG-secret-token", "app-secret-value", "verify-token-value"]) {
          assert.ok(!json.includes(secret), `${secret} never shown`);
        }
        assert.equal(shown.accessTokenSet, true);
        assert.equal(shown.appSecretSet, true);
        assert.equal(shown.configured, true);
        assert.equal(shown.phoneNumberId, "106540352242922");
        assert.equal((await getStoredWhatsAppConfig(kv)).updatedBy, "admin-1");
      },
    );

    await t.step("an omitted field keeps its value; null or empty clears it", async () => {
      await saveWhatsAppConfig(kv, { verifyToken: null, graphUrl: "" });
      const s = await loadWhatsAppSettings(bare);
      assert.equal(s.accessToken, "EAAG-secret-token");
      assert.equal(s.verifyToken, null);
      assert.equal(s.graphUrl, DEFAULT_GRAPH_URL);
      assert.equal((await publicWhatsAppConfig(bare)).configured, false);
    });

    await t.step("the environment wins per field and is named as such", async () => {
      const env = {
        kv,
        config: loadConfig({
          KV_PATH: ":memory:",
          WHATSAPP_APP_SECRET: "env-secret",
          WHATSAPP_GRAPH_URL: "http://127.0.0.1:8/",
        }),
      };
      const s = await loadWhatsAppSettings(env);
      assert.equal(s.appSecret, "env-secret");
      assert.equal(s.accessToken, "EAAG-secret-token", "not overridden: the stored one");
      assert.equal(s.graphUrl, "http://127.0.0.1:8");
      const shown = await publicWhatsAppConfig(env);
      assert.deepEqual(shown.fromEnvironment.sort(), ["appSecret", "graphUrl"]);
      assert.ok(!JSON.stringify(shown).includes("env-secret"));
    });

    await t.step("the input schema refuses what cannot work", () => {
      for (
        const bad of [
          { phoneNumberId: "12ab" },
          { graphUrl: "javascript:alert(1)" },
          { graphUrl: "not a url" },
          { graphVersion: "21" },
          { accessToken: "x".repeat(2000) },
        ]
      ) {
        assert.equal(whatsAppConfigInputSchema.safeParse(bad).success, false, JSON.stringify(bad));
      }
      assert.ok(whatsAppConfigInputSchema.safeParse({ graphVersion: "v22.0" }).success);
    });
  } finally {
    kv.close();
  }
});
