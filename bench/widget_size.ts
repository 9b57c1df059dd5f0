/**
 * `deno task bench:widget`: the widget's weight, gzipped, against its budgets.
 *
 * 1. `widget.js` itself (budget 8 KB = 8,192 bytes).
 * 2. Everything a returning visitor downloads before the first message can be
 *    shown (budget 15 KB): the inline stub, widget.js, the session answer and
 *    the message list of a conversation with a few messages.
 *
 * Also prints the raw (minified) size and, as a same-run baseline, the
 * gzipped size of the islands bundle of the staff workspace. Exits 1 when a
 * budget is exceeded, so CI can run it (tests/widget_budget_test.ts holds widget.js to
 * its budget in `deno task test`).
 */
import { loadConfig } from "../fresh.config.ts";
import { startServer } from "../lib/server.ts";
import { routeTable } from "../routes/mod.ts";
import { WIDGET_STUB } from "../lib/channels/widget_snippet.ts";
import {
  FIRST_MESSAGE_BUDGET,
  gzipSize,
  WIDGET_JS_BUDGET as WIDGET_BUDGET,
} from "../lib/http/widget_budget.ts";

const kv = await Deno.openKv(":memory:");
const server = await startServer(loadConfig({ KV_PATH: ":memory:", PORT: "0" }), routeTable, {
  kv,
});
try {
  const root = new URL("../", import.meta.url);
  const widget = await Deno.readFile(new URL("." + server.deps.assets.widgetJs, root));
  const islands = await Deno.readFile(new URL("." + server.deps.assets.islandsJs, root));
  const more = await Deno.readFile(new URL("." + server.deps.assets.widgetMoreJs!, root));

  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(server.url + path, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return await res.text();
  };
  const first = JSON.parse(await post("/api/v1/widget/sessions", {}));
  for (let i = 1; i <= 5; i++) {
    await post("/api/v1/widget/messages", {
      text: `Message number ${i} from a visitor`,
      clientId: `c${i}`,
    }, first.visitorToken);
  }
  // A returning visitor: session (resume) + the conversation so far.
  const session = await post("/api/v1/widget/sessions", { visitorToken: first.visitorToken });
  const list = await (await fetch(server.url + "/api/v1/widget/messages", {
    headers: { authorization: `Bearer ${first.visitorToken}` },
  })).text();

  const widgetGz = await gzipSize(widget);
  const parts = {
    "inline stub": await gzipSize(WIDGET_STUB),
    "widget.js": widgetGz,
    "POST sessions": await gzipSize(session),
    "GET messages (5 messages)": await gzipSize(list),
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  const islandsGz = await gzipSize(islands);

  console.log("widget.js");
  console.log(`  minified: ${widget.byteLength} bytes`);
  console.log(
    `  gzipped:  ${widgetGz} bytes (budget ${WIDGET_BUDGET}, ${
      (widgetGz / WIDGET_BUDGET * 100).toFixed(0)
    }% used)`,
  );
  console.log(
    `widget-more.js (on demand: other languages, transcript, pre-chat and offline forms, queue line, survey, context sender, files and links): ${await gzipSize(
      more,
    )} bytes gzipped, not part of the first paint`,
  );
  console.log("before the first message can be shown (gzipped)");
  for (const [name, size] of Object.entries(parts)) console.log(`  ${name}: ${size} bytes`);
  console.log(
    `  total:    ${total} bytes (budget ${FIRST_MESSAGE_BUDGET}, ${
      (total / FIRST_MESSAGE_BUDGET * 100).toFixed(0)
    }% used)`,
  );
  console.log(
    `baseline: the workspace islands bundle is ${islandsGz} bytes gzipped; widget.js is ${
      (widgetGz / islandsGz).toFixed(2)
    }× that`,
  );
  if (widgetGz > WIDGET_BUDGET || total > FIRST_MESSAGE_BUDGET) {
    console.error("OVER BUDGET");
    Deno.exitCode = 1;
  }
} finally {
  await server.shutdown();
  kv.close();
}
