import assert from "node:assert/strict";
import { ConfigError, DEFAULT_KV_POLL_MS, loadConfig } from "./fresh.config.ts";

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

Deno.test("[config] KV_POLL_MS: on for a local file, off where KV watch hears every writer", () => {
  assert.equal(loadConfig({}).kvPollMs, DEFAULT_KV_POLL_MS);
  assert.ok(DEFAULT_KV_POLL_MS > 0 && DEFAULT_KV_POLL_MS <= 250);
  assert.equal(loadConfig({ KV_PATH: "/var/lib/parley/parley.kv" }).kvPollMs, DEFAULT_KV_POLL_MS);
  assert.equal(loadConfig({ KV_PATH: ":memory:" }).kvPollMs, 0);
  assert.equal(loadConfig({ DENO_DEPLOYMENT_ID: "abc" }).kvPollMs, 0);
  const remote = { KV_PATH: "https://kv.example.test/", DENO_KV_ACCESS_TOKEN: "secret" };
  assert.equal(loadConfig(remote).kvPollMs, 0);
  assert.equal(loadConfig({ KV_POLL_MS: "250" }).kvPollMs, 250);
  assert.equal(loadConfig({ KV_POLL_MS: "0" }).kvPollMs, 0, "0 turns the poll off");
  assert.equal(loadConfig({ ...remote, KV_POLL_MS: "500" }).kvPollMs, 500, "explicit wins");
  assert.throws(() => loadConfig({ KV_POLL_MS: "fast" }), /KV_POLL_MS must be a whole number/);
  assert.throws(() => loadConfig({ KV_POLL_MS: "600000" }), /KV_POLL_MS must be between/);
});

Deno.test("[config] KV_PATH as a KV Connect URL needs its token; other schemes are refused", () => {
  const env = { KV_PATH: "https://kv.example.test:4512/", DENO_KV_ACCESS_TOKEN: "secret" };
  assert.equal(loadConfig(env).kvPath, "https://kv.example.test:4512/");
  assert.equal(
    loadConfig({ ...env, KV_PATH: "http://127.0.0.1:4512" }).kvPath,
    "http://127.0.0.1:4512",
  );
  assert.throws(
    () => loadConfig({ KV_PATH: "https://kv.example.test/" }),
    /DENO_KV_ACCESS_TOKEN/,
  );
  assert.throws(
    () => loadConfig({ ...env, KV_PATH: "https://user:pw@kv.example.test/" }),
    /must not carry credentials/,
  );
  assert.throws(() => loadConfig({ ...env, KV_PATH: "https://" }), /KV_PATH/);
  assert.throws(
    () => loadConfig({ ...env, KV_PATH: "ftp://kv.example.test/" }),
    /file path, :memory: or an http\(s\):\/\/ KV Connect URL/,
  );
  // Deno Deploy with a KV Connect URL set: the URL wins (another database on purpose).
  assert.equal(loadConfig({ ...env, DENO_DEPLOYMENT_ID: "abc" }).kvPath, env.KV_PATH);
});
