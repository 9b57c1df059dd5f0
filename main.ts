/**
 * Parley's entry point: read the configuration, open KV, make sure the first
 * admin can be created, build the app and serve it. `deno task start`.
 */
import { ConfigError, loadConfig } from "./fresh.config.ts";
import { startServer } from "./lib/server.ts";
import { KvOpenError } from "./lib/store/open_kv.ts";
import { routeTable } from "./routes/mod.ts";

if (import.meta.main) {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Parley cannot start: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
  let server;
  try {
    server = await startServer(config, routeTable, { log: console.log, hostname: config.host });
  } catch (err) {
    if (err instanceof KvOpenError) {
      console.error(`Parley cannot start: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
  const stop = async () => {
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}
