/**
 * `deno task demo`: seeds demo data into the store KV_PATH names (./data/parley.kv by default)
 * when it is empty, else stops with one line. See lib/demo/seed.ts.
 */
import { ConfigError, loadConfig } from "./fresh.config.ts";
import { openKv } from "./lib/store/open_kv.ts";
import { demoSummaryLines, seedDemo, StoreNotEmptyError } from "./lib/demo/seed.ts";

try {
  const config = loadConfig(Deno.env.toObject());
  const kv = await openKv(config.kvPath);
  try {
    console.log("Seeding demo data (a month of a support team)…");
    const summary = await seedDemo(kv, {
      passwordIterations: config.passwordIterations,
      log: (line) => console.log(line),
    });
    for (const line of demoSummaryLines(summary, config)) console.log(line);
  } finally {
    kv.close();
  }
} catch (err) {
  if (err instanceof StoreNotEmptyError || err instanceof ConfigError) {
    console.error(err.message);
    Deno.exit(1);
  }
  throw err;
}
