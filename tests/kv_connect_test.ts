/**
 * `KV_PATH` as a KV Connect URL (a self-hosted denokv server). No denokv
 * server can be installed here, so a loopback stand-in plays its metadata
 * endpoint: it proves that Parley hands the URL to Deno's KV Connect client
 * with the token from `DENO_KV_ACCESS_TOKEN`, creates no local folder for it,
 * and stops with a one-line reason when the server refuses. Reads, writes and
 * watch through a real denokv are not exercised (README, "Scaling out").
 */
import assert from "node:assert/strict";
import { PARLEY_DIR, parleyCommand } from "./parley_process.ts";

Deno.test("[config] KV_PATH=http(s)://… opens KV Connect with the token and creates no folder", async () => {
  const seen: { method: string; path: string; auth: string | null; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    seen.push({
      method: req.method,
      path: new URL(req.url).pathname,
      auth: req.headers.get("authorization"),
      body: await req.text(),
    });
    return new Response("access token refused", { status: 401 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  const folder = `${PARLEY_DIR}http:`; // what "make the KV file's folder" would create for a URL
  try {
    const { code, stdout, stderr } = await parleyCommand({
      KV_PATH: url,
      DENO_KV_ACCESS_TOKEN: "token-for-the-test",
    }).output();
    const said = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 1, said);
    assert.match(
      said,
      /^Parley cannot start: cannot open KV_PATH "http:\/\/127\.0\.0\.1:\d+\/": /m,
    );
    assert.match(said, /401/, "the server's refusal is in the reason");
    assert.doesNotMatch(said, /token-for-the-test/, "the token is never printed");
    assert.ok(seen.length >= 1, "Parley asked the KV Connect server");
    assert.equal(seen[0].method, "POST");
    assert.equal(seen[0].auth, "Bearer token-for-the-test");
    assert.match(seen[0].body, /supportedVersions/, "Deno's KV Connect metadata exchange");
    assert.equal(await Deno.stat(folder).then(() => true, () => false), false, "no local folder");
  } finally {
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    await server.shutdown();
  }
});
