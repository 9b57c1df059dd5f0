/** `deno task build`: builds the browser assets into static/build/ and prints what it wrote. */
import { buildAssets } from "./assets.ts";

if (import.meta.main) {
  const assets = await buildAssets();
  for (const [name, url] of Object.entries(assets)) {
    if (typeof url === "string" && url.startsWith("/")) console.log(`${name}: ${url}`);
  }
}
