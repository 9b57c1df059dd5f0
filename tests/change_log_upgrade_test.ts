/**
 * A store written before the change log had shards (one head, ["change_head"],
 * and ["changes", seq]) is moved at start, and what clients held from before
 * still resumes: through a real restart on a KV file.
 */
import assert from "node:assert/strict";
import { readHead } from "../lib/store/changes.ts";
import { startTestApp } from "./helpers.ts";
import { idsBetween, newVisitor, SseReader, visitorSays } from "./realtime_helpers.ts";

/** Writes what the previous version kept: five presence changes in the single log. */
async function writeOldLog(kv: Deno.Kv) {
  const at = new Date().toISOString();
  for (let seq = 1; seq <= 5; seq++) {
    await kv.set(["changes", seq], { seq, at, type: "agent.status", agentId: `old-${seq}` }, {
      expireIn: 60 * 60_000,
    });
  }
  await kv.set(["change_head"], 5);
  await kv.set(["webhook_cursor"], 3); // the dispatcher's cursor, a number then
}

Deno.test("[changes] an older store's single log becomes shard 0 at start; old cursors still resume, across a restart", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const readers: SseReader[] = [];
  try {
    let kv = await Deno.openKv(path);
    await writeOldLog(kv);
    const lines: string[] = [];
    let app = await startTestApp({}, { kv, log: (l) => lines.push(l) });
    try {
      assert.ok(
        lines.some((l) => /Moved the change log to \d+ shards \(5 /.test(l)),
        lines.join("\n"),
      );
      assert.equal((await kv.get(["change_head"])).value, null, "the old head is gone");
      const head = await readHead(kv);
      assert.equal(head.cursor[0], 5, "shard 0 goes on from the old head");

      // A page from before the upgrade resumes with its number: the old changes after it, then
      // what happens now in any shard, each once.
      const sue = await app.createStaff("supervisor");
      const visitor = await newVisitor(app);
      await visitorSays(app, visitor.token, "after the upgrade");
      const now = String(await readHead(kv));
      const old = await SseReader.open(app.url + "/api/v1/stream", {
        cookie: sue.cookie,
        "last-event-id": "3",
      });
      readers.push(old);
      await old.waitFor((e) => e.id === now, "the old page to catch up");
      const ids = old.ids();
      assert.deepEqual(
        ids,
        await idsBetween(kv, ["3", ...head.cursor.slice(1).map(() => "0")].join("."), now),
      );
      assert.deepEqual(
        old.events.filter((e) =>
          e.event === "agent.status" && String(e.data.agentId).startsWith("old-")
        )
          .map((e) => e.data.agentId),
        ["old-4", "old-5"],
        "the old log's entries after the cursor, moved",
      );
      assert.ok(old.events.some((e) => e.event === "message.created"), "and the new ones");

      // A number the old log never reached was not handed out: reset.
      const future = await SseReader.open(app.url + "/api/v1/stream", {
        cookie: sue.cookie,
        "last-event-id": "6",
      });
      readers.push(future);
      assert.equal((await future.waitFor((e) => e.event === "reset")).id, now);
      await Promise.all(readers.splice(0).map((r) => r.close()));
      await app.shutdown();
      kv.close();

      // A real restart: a new handle on the file. Nothing moves again; both cursor forms work.
      kv = await Deno.openKv(path);
      lines.length = 0;
      app = await startTestApp({}, { kv, log: (l) => lines.push(l) });
      assert.ok(!lines.some((l) => /Moved the change log/.test(l)), lines.join("\n"));
      await visitorSays(app, visitor.token, "after the restart");
      const later = String(await readHead(kv));
      for (const from of ["3", now]) {
        const reader = await SseReader.open(app.url + "/api/v1/stream", {
          cookie: sue.cookie,
          "last-event-id": from,
        });
        readers.push(reader);
        await reader.waitFor((e) => e.id === later, `resuming from ${from}`);
        const start = from.includes(".")
          ? from
          : ["3", ...head.cursor.slice(1).map(() => "0")].join(".");
        assert.deepEqual(reader.ids(), await idsBetween(kv, start, later));
      }
    } finally {
      await Promise.all(readers.map((r) => r.close()));
      await app.shutdown();
      kv.close();
    }
  } finally {
    await Deno.remove(path).catch(() => {});
  }
});
