import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./fresh.config.ts";

Deno.test("[config] defaults, :memory:, Deno Deploy and bad values", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.port, 8000);
  assert.equal(defaults.kvPath, "./data/parley.kv");
  assert.equal(loadConfig({ KV_PATH: ":memory:" }).kvPath, ":memory:");
  assert.equal(loadConfig({ DENO_DEPLOYMENT_ID: "abc" }).kvPath, null);
  assert.throws(() => loadConfig({ PORT: "eighty" }), ConfigError);
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT must be between/);
  assert.throws(() => loadConfig({ ADMIN_EMAIL: "a@b.c" }), /set together/);
  assert.throws(() => loadConfig({ ADMIN_EMAIL: "a@b.c", ADMIN_PASSWORD: "short" }), /at least 10/);
});
