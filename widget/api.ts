/** The widget's HTTP client for the visitor API (`/api/v1/widget/*`). */

/** A failed call: `status` 0 means the network failed (offline, refused, CORS). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's `error.details` (e.g. the context keys it refused, with why). */
    readonly details?: { rejected?: Record<string, string> },
  ) {
    super(message);
  }
}

/** Calls `path` on Parley at `base`; the site key rides in the query so CORS preflights see it. */
export async function call(
  base: string,
  siteKey: string,
  method: "GET" | "POST",
  path: string,
  token: string | null,
  body?: unknown,
  query = "",
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = "Bearer " + token;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(
      `${base}/api/v1/widget/${path}?siteKey=${encodeURIComponent(siteKey)}${query}`,
      {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        mode: "cors",
      },
    );
  } catch {
    throw new ApiError(0, "network", "Parley could not be reached.");
  }
  let json: { error?: { code?: string; message?: string; details?: never } } | null = null;
  try {
    json = await res.json();
  } catch { /* not JSON */ }
  if (!res.ok) {
    throw new ApiError(
      res.status,
      json?.error?.code ?? "http_" + res.status,
      json?.error?.message ?? res.statusText,
      json?.error?.details,
    );
  }
  return json;
}
