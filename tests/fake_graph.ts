/**
 * A fake of Meta's Graph API (the WhatsApp Cloud API part Parley uses), on a
 * random loopback port over real HTTP. It records every request and answers
 * like Meta does; tests script the next answers of the send endpoint.
 *
 *   POST /{version}/{phoneNumberId}/messages  -> { messaging_product, contacts, messages: [{ id }] }
 *   GET  /{version}/{phoneNumberId}           -> { display_phone_number, verified_name, id }
 *   GET  /{version}/{mediaId}                 -> { url, mime_type, sha256, file_size, id }
 *   GET  /download/{mediaId}                  -> the media bytes (bearer token required)
 *   POST /{version}/{phoneNumberId}/media     -> { id } (multipart: messaging_product, type, file;
 *                                               the file is kept in `media` under that id)
 *   GET  /{version}/{wabaId}/message_templates?limit=&after= -> { data: [template], paging }
 *
 * A `type: "template"` send is checked like Meta does: an unknown name or
 * language is 132001, a wrong number (or names) of body/header parameters is
 * 132000 — against `graph.templates` (Meta's template shape).
 *
 * Text and interactive reply-button sends are checked against Meta's rules
 * too (131009 "Parameter value is not valid"): a text body of 1..4096
 * characters; 1 to 3 reply buttons with unique ids (1..256) and titles
 * (1..20 characters) under a body text of 1..1024.
 *
 * A wrong bearer token gets Meta's 401 with code 190.
 *
 * @example
 * const graph = await startFakeGraph({ token: "t", phoneNumberId: "1065" });
 * graph.scriptSend({ status: 500, body: { error: { code: 131000, message: "x" } } });
 * const req = await graph.waitForRequest((r) => r.path.endsWith("/messages"));
 * await graph.close();
 */

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  authorization: string | null;
  /** Parsed JSON when the body was JSON, else the text (or null without a body). */
  body: unknown;
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeGraph {
  url: string;
  requests: RecordedRequest[];
  /** The POSTs to the messages endpoint so far. */
  sends(): RecordedRequest[];
  /** Queues answers for the next sends (each used once); afterwards sends succeed. */
  scriptSend(...responses: ScriptedResponse[]): void;
  /** Media the fake serves by id. */
  media: Map<string, { bytes: Uint8Array; mimeType: string }>;
  /** Queues answers for the next template list reads (each used once). */
  scriptTemplates(...responses: ScriptedResponse[]): void;
  /** The WABA's templates, as Meta lists them (tests add and remove). */
  templates: GraphTemplate[];
  /** The wamid the fake returned for the n-th successful send (0-based). */
  wamids: string[];
  /** Resolves with the first recorded request matching `predicate` (waiting if needed). */
  waitForRequest(
    predicate: (r: RecordedRequest) => boolean,
    what?: string,
  ): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** A message template in Meta's shape (`GET /{waba-id}/message_templates` items). */
export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: "POSITIONAL" | "NAMED";
  components: Record<string, unknown>[];
}

/** Meta's error body shape, for scripting failures. */
export function graphError(code: number, message: string, details?: string) {
  return {
    error: {
      message,
      type: "OAuthException",
      code,
      ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
      fbtrace_id: "AbCdEfGhIjK",
    },
  };
}

export function startFakeGraph(
  options: { token: string; phoneNumberId: string; version?: string; businessAccountId?: string },
): Promise<FakeGraph> {
  const templates: GraphTemplate[] = [];
  const templateScript: ScriptedResponse[] = [];
  const version = options.version ?? "v21.0";
  const requests: RecordedRequest[] = [];
  const script: ScriptedResponse[] = [];
  const media = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  const wamids: string[] = [];
  const bell = new EventTarget();
  let sendCount = 0;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

  /** Meta's media upload: multipart with messaging_product, type and file; answers the new id. */
  const upload = async (req: Request, url: URL): Promise<Response> => {
    let form: FormData | null = null;
    try {
      form = await req.formData();
    } catch { /* not multipart */ }
    const file = form?.get("file");
    const recorded: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      search: url.search,
      authorization: req.headers.get("authorization"),
      body: form
        ? {
          messaging_product: form.get("messaging_product"),
          type: form.get("type"),
          file: file instanceof File ? { name: file.name, size: file.size, type: file.type } : null,
        }
        : null,
    };
    requests.push(recorded);
    bell.dispatchEvent(new Event("request"));
    if (recorded.authorization !== `Bearer ${options.token}`) {
      return json(401, graphError(190, "Error validating access token: Session has expired."));
    }
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== version || parts[1] !== options.phoneNumberId) {
      return json(400, graphError(100, "Unsupported post request."));
    }
    if (form?.get("messaging_product") !== "whatsapp" || !(file instanceof File)) {
      return json(400, graphError(100, "(#100) The parameter messaging_product is required."));
    }
    const type = String(form.get("type") ?? "");
    if (!type) return json(400, graphError(100, "(#100) Param type is required."));
    const id = `media-up-${media.size + 1}-${crypto.randomUUID().slice(0, 8)}`;
    media.set(id, { bytes: new Uint8Array(await file.arrayBuffer()), mimeType: type });
    return json(200, { id });
  };

  let base = "";
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req): Promise<Response> => {
      const url = new URL(req.url);
      if (req.method === "POST" && url.pathname.endsWith("/media")) return await upload(req, url);
      const text = await req.text();
      let body: unknown = text === "" ? null : text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch { /* keep the text */ }
      const recorded: RecordedRequest = {
        method: req.method,
        path: url.pathname,
        search: url.search,
        authorization: req.headers.get("authorization"),
        body,
      };
      requests.push(recorded);
      bell.dispatchEvent(new Event("request"));

      if (recorded.authorization !== `Bearer ${options.token}`) {
        return json(401, graphError(190, "Error validating access token: Session has expired."));
      }
      if (url.pathname.startsWith("/download/")) {
        const item = media.get(decodeURIComponent(url.pathname.slice("/download/".length)));
        if (!item) return json(404, graphError(100, "Unknown media"));
        return new Response(item.bytes as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": item.mimeType },
        });
      }
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] !== version) return json(400, graphError(2500, "Unknown path components"));
      if (
        req.method === "GET" && parts[1] === options.businessAccountId &&
        parts[2] === "message_templates"
      ) {
        const scripted = templateScript.shift();
        if (scripted) return json(scripted.status, scripted.body ?? {}, scripted.headers);
        const limit = Number(url.searchParams.get("limit") ?? "25");
        const start = Number(url.searchParams.get("after") ?? "0");
        const data = templates.slice(start, start + limit);
        const more = start + limit < templates.length;
        return json(200, {
          data,
          paging: {
            cursors: { before: String(start), after: String(start + data.length) },
            ...(more ? { next: `${base}${url.pathname}?after=${start + data.length}` } : {}),
          },
        });
      }
      if (req.method === "POST" && parts[1] === options.phoneNumberId && parts[2] === "messages") {
        const scripted = script.shift();
        if (scripted) return json(scripted.status, scripted.body ?? {}, scripted.headers);
        const refusal = checkTemplateSend(templates, body) ?? checkMessageSend(body);
        if (refusal) return json(400, refusal);
        const to = (body as { to?: string; recipient?: string } | null)?.to ??
          (body as { recipient?: string } | null)?.recipient ?? "";
        const wamid = `wamid.FAKE${String(++sendCount).padStart(6, "0")}${crypto.randomUUID()}`;
        wamids.push(wamid);
        return json(200, {
          messaging_product: "whatsapp",
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: wamid }],
        });
      }
      if (req.method === "GET" && parts.length === 2 && parts[1] === options.phoneNumberId) {
        return json(200, {
          display_phone_number: "+1 555-010-0199",
          verified_name: "Parley Support",
          id: options.phoneNumberId,
        });
      }
      if (req.method === "GET" && parts.length === 2) {
        const item = media.get(parts[1]);
        if (!item) return json(404, graphError(100, "Unsupported get request."));
        return json(200, {
          messaging_product: "whatsapp",
          url: `${base}/download/${encodeURIComponent(parts[1])}`,
          mime_type: item.mimeType,
          sha256: "0".repeat(64),
          file_size: item.bytes.byteLength,
          id: parts[1],
        });
      }
      return json(400, graphError(100, "Unsupported request"));
    },
  );
  base = `http://127.0.0.1:${server.addr.port}`;

  return Promise.resolve({
    url: base,
    requests,
    templates,
    media,
    wamids,
    sends: () => requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages")),
    scriptSend: (...responses) => void script.push(...responses),
    scriptTemplates: (...responses) => void templateScript.push(...responses),
    waitForRequest(predicate, what = "a matching request") {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          bell.removeEventListener("request", check);
          resolve(found);
          return true;
        };
        // A failsafe so a broken test fails with a reason instead of hanging.
        const timer = setTimeout(() => {
          bell.removeEventListener("request", check);
          reject(new Error(`fake Graph API never received ${what}`));
        }, 15_000);
        if (!check()) bell.addEventListener("request", check);
      });
    },
    async close() {
      await server.shutdown();
    },
  });
}

/** Meta's answer to a template send that does not match an approved template, else null. */
function checkTemplateSend(templates: GraphTemplate[], body: unknown) {
  const send = body as {
    type?: string;
    template?: {
      name?: string;
      language?: { code?: string };
      components?: { type: string; parameters?: { parameter_name?: string }[] }[];
    };
  } | null;
  if (send?.type !== "template") return null;
  const t = templates.find((x) =>
    x.name === send.template?.name && x.language === send.template?.language?.code
  );
  if (!t || t.status !== "APPROVED") {
    return graphError(
      132001,
      "(#132001) Template name does not exist in the translation",
      `template name (${send.template?.name}) does not exist in ${send.template?.language?.code}`,
    );
  }
  for (const type of ["HEADER", "BODY"]) {
    const text = String(t.components.find((c) => c.type === type)?.text ?? "");
    const expected = [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))];
    const given = send.template?.components?.find((c) => c.type === type.toLowerCase())
      ?.parameters ?? [];
    const names = given.map((p) => p.parameter_name);
    const mismatch = given.length !== expected.length ||
      (t.parameter_format === "NAMED" && expected.some((n) => !names.includes(n)));
    if (mismatch) {
      return graphError(
        132000,
        "(#132000) Number of parameters does not match the expected number of params",
        `${type.toLowerCase()}: number of localizable_params (${given.length}) does not match the expected number of params (${expected.length})`,
      );
    }
  }
  return null;
}

/**
 * Meta's answer to an interactive or text send that breaks its rules, else
 * null: reply buttons need a body text (≤ 1024 characters) and 1 to 3
 * buttons of type "reply", each with an id (1..256 characters) and a title
 * (1..20 characters), ids and titles unique; a text needs a body (1..4096).
 */
function checkMessageSend(body: unknown) {
  const send = body as {
    type?: string;
    text?: { body?: unknown };
    interactive?: {
      type?: string;
      body?: { text?: unknown };
      action?: { buttons?: { type?: string; reply?: { id?: unknown; title?: unknown } }[] };
    };
  } | null;
  const invalid = (details: string) =>
    graphError(131009, "(#131009) Parameter value is not valid", details);
  if (send?.type === "text") {
    const text = send.text?.body;
    if (typeof text !== "string" || text.length === 0 || text.length > 4096) {
      return invalid("text.body must be 1 to 4096 characters");
    }
    return null;
  }
  if (send?.type !== "interactive") return null;
  const i = send.interactive;
  if (i?.type !== "button") return invalid(`interactive.type ${i?.type} is not supported here`);
  const text = i.body?.text;
  if (typeof text !== "string" || text.length === 0 || text.length > 1024) {
    return invalid("interactive.body.text must be 1 to 1024 characters");
  }
  const buttons = i.action?.buttons;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
    return invalid("interactive.action.buttons must hold 1 to 3 buttons");
  }
  const ids = new Set<unknown>();
  const titles = new Set<unknown>();
  for (const b of buttons) {
    const { id, title } = b.reply ?? {};
    if (b.type !== "reply") return invalid("Each button must be of type reply");
    if (typeof id !== "string" || id.length === 0 || id.length > 256) {
      return invalid("Button id must be 1 to 256 characters");
    }
    // Meta counts characters (an emoji is one or two), at most 20.
    if (typeof title !== "string" || title.length === 0 || [...title].length > 20) {
      return invalid("Button title length invalid: 1 to 20 characters");
    }
    if (ids.has(id) || titles.has(title)) return invalid("Button ids and titles must be unique");
    ids.add(id);
    titles.add(title);
  }
  return null;
}
