/** Copies of a served request with another body or headers (bodyLimit, forwarded.ts). */

/**
 * The request with another body. Built from its parts, not from the request
 * itself: copying a request copies its `signal`, and Deno warns about (and
 * will change) how a served request's signal behaves.
 */
export function withBody(req: Request, body: BodyInit | null, headers = req.headers): Request {
  return new Request(req.url, { method: req.method, headers, body });
}
