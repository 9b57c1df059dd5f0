/**
 * Files and links in the widget, part of the on-demand module (more.ts), so
 * widget.js (the first paint) only says where they go:
 * - {@link dress}: a message's links become anchors (http, https, mailto
 *   only: lib/domain/links.ts; `javascript:` stays text), images show as
 *   previews (alt text: the file name) and documents as buttons with their
 *   name and size that download them. Files are fetched with the visitor
 *   token in a header (never in a URL) and shown from a `blob:` URL.
 * - {@link fileUi}: "Attach a file" beside Send (a real button: Enter or
 *   Space opens the file chooser). Each chosen file is its own message:
 *   uploaded (`POST /api/v1/widget/attachments`, the raw file as the body),
 *   then sent. Until it is in the log it stays in a list above the composer:
 *   "Uploading…", or why it was refused (too big, a kind not allowed, empty:
 *   in the visitor's words, files_words.ts) with Remove, or "Not sent" with
 *   Try again. Progress is announced (a status region), problems as alerts.
 */
import { linkParts } from "../lib/domain/links.ts";
import {
  ACCEPT_ATTRIBUTE,
  type AttachmentRef,
  declaredTypeAllowed,
  formatBytes,
  isInlineType,
  MAX_ATTACHMENT_BYTES,
} from "../lib/domain/attachments.ts";
import { ApiError } from "./api.ts";
import type { Message } from "./schemas.ts";
import { button, el, type View } from "./view.ts";
import { fill } from "./i18n.ts";
import { fileWords } from "./files_words.ts";
import { adoptStylesOnce } from "./adopt_styles.ts";

interface Where {
  base: string;
  siteKey: string;
  lang?: string;
}

/** The chat's visitor API (chat.ts `api`: its site and token). */
type Api = (method: "GET" | "POST", path: string, body?: unknown) => Promise<unknown>;

const CSS =
  `.im{display:block;max-width:100%;max-height:180px;margin-top:6px;border-radius:8px;background:#fff}.fl{display:block;margin-top:6px;padding:4px 8px;border:1px solid #d1d5db;border-radius:8px;background:#fff;text-align:left;color:#111827!important;overflow-wrap:anywhere}.m a{text-decoration:underline}form .at{display:flex;align-items:center;justify-content:center;width:40px;height:40px;padding:0}.at svg{width:22px;height:22px}.up{list-style:none;padding:4px 14px;border-top:1px solid #e5e7eb;font-size:13px}.up li{padding:2px 0;overflow-wrap:anywhere}.up b{font-weight:600}.up button{margin-right:10px;text-decoration:underline}.fe{display:block;color:#b91c1c}@media(prefers-color-scheme:dark){.up{border-color:#4b5563}.fe{color:#fca5a5}}`;

/** A paperclip (drawn here, not an emoji: not every system has an emoji font). */
const CLIP =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 7v9a3 3 0 0 0 6 0V6a4.5 4.5 0 0 0-9 0v10a6 6 0 0 0 12 0V8" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>';

const style = (root: ShadowRoot) => adoptStylesOnce(root, CSS);

/** A size as the visitor reads it: "512 B", "14 KB", "2.3 MB" (decimals in their language). */
export function sizeText(size: number, lang?: string): string {
  if (size < 1024 * 1024) return formatBytes(size);
  const mb = size / 1024 / 1024;
  try {
    return mb.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " MB";
  } catch { // a language tag the browser does not take
    return formatBytes(size);
  }
}

const isRef = (f: unknown): f is AttachmentRef =>
  !!f && typeof (f as AttachmentRef).id === "string" &&
  typeof (f as AttachmentRef).filename === "string" &&
  typeof (f as AttachmentRef).contentType === "string" &&
  typeof (f as AttachmentRef).size === "number";

const url = (o: Where, path: string) =>
  `${o.base}/api/v1/widget/${path}?siteKey=${encodeURIComponent(o.siteKey)}`;

/** The file's bytes, fetched with the visitor token (CORS, no cookies), as a `blob:` URL. */
async function fetchFile(o: Where, token: string | null, f: AttachmentRef): Promise<string> {
  const res = await fetch(url(o, "attachments/" + encodeURIComponent(f.id)), {
    headers: { authorization: "Bearer " + token },
    credentials: "omit",
    mode: "cors",
  });
  if (!res.ok) throw new Error(res.statusText);
  return URL.createObjectURL(await res.blob());
}

/** Draws a message's links and files into its bubble `e` (built by view.ts). */
export function dress(e: HTMLElement, m: Message, o: Where, token: string | null): void {
  const root = e.getRootNode();
  if (root instanceof ShadowRoot) style(root);
  const text = [...e.childNodes].find((n) => n.nodeType === 3 && n.textContent === m.text);
  const parts = linkParts(m.text);
  if (text && parts.some((p) => p.href)) {
    text.replaceWith(...parts.map((p) => {
      if (!p.href) return p.text;
      const a = el("a", "", p.text);
      a.href = p.href;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      return a;
    }));
  }
  const time = e.querySelector("time");
  for (const f of (m.attachments ?? []).filter(isRef)) {
    let node: HTMLElement;
    if (isInlineType(f.contentType)) {
      const img = el("img", "im");
      img.alt = f.filename;
      node = img;
      fetchFile(o, token, f).then((src) => img.src = src).catch(() => {});
    } else {
      const b = button("fl", `${f.filename} · ${sizeText(f.size, o.lang)}`);
      b.onclick = () =>
        fetchFile(o, token, f).then((href) => {
          const a = el("a");
          a.href = href;
          a.download = f.filename;
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(href), 10_000);
        }).catch(() => {});
      node = b;
    }
    e.insertBefore(node, time);
  }
}

/** A file on its way: its row in the list, and its upload once stored (sent again on retry). */
interface Up {
  file: File;
  row: HTMLLIElement;
  clientId: string;
  ref?: AttachmentRef;
}

/**
 * Adds "Attach a file" beside Send and the list of files on their way above
 * the composer. `got` takes the answer of the message that carries a file
 * (chat.ts, as for the visitor's own messages).
 */
export function fileUi(
  v: View,
  o: Where,
  api: Api,
  token: () => string | null,
  got: (answer: unknown) => void,
): void {
  const w = fileWords(o.lang);
  style(v.host.shadowRoot!);
  const input = el("input");
  input.type = "file";
  input.multiple = true;
  input.hidden = true;
  input.accept = ACCEPT_ATTRIBUTE;
  const attach = button("at", "", w.attach);
  attach.innerHTML = CLIP; // a constant, not data
  attach.onclick = () => input.click();
  const list = el("ul", "up");
  list.setAttribute("aria-label", w.files);
  list.hidden = true;
  const status = el("p", "sr");
  status.setAttribute("role", "status");
  // One file after another, so they reach the log in the order chosen.
  let queue = Promise.resolve();

  const done = (u: Up) => {
    u.row.remove();
    list.hidden = !list.children.length;
  };
  /** The row of `u`: uploading, or a problem (an alert) with Remove and, when it may pass, Try again. */
  const draw = (u: Up, problem?: string, again?: boolean) => {
    list.hidden = false;
    if (!problem) {
      u.row.replaceChildren(`${u.file.name} · ${w.up}`);
      status.textContent = `${u.file.name}: ${w.up}`;
      return;
    }
    u.row.replaceChildren(el("b", "", u.file.name));
    const why = el("span", "fe", problem);
    why.setAttribute("role", "alert");
    u.row.append(why);
    if (again) {
      const retry = button("", w.retry, `${w.retry}: ${u.file.name}`);
      retry.onclick = () => {
        attach.focus(); // the row is redrawn: focus goes back where files are chosen
        go(u);
      };
      u.row.append(retry);
    }
    const remove = button("", w.del, fill(w.remove, u.file.name));
    remove.onclick = () => {
      done(u);
      attach.focus();
    };
    u.row.append(remove);
  };

  const upload = async (file: File): Promise<AttachmentRef> => {
    let res: Response;
    try {
      res = await fetch(url(o, "attachments") + "&filename=" + encodeURIComponent(file.name), {
        method: "POST",
        headers: {
          authorization: "Bearer " + token(),
          "content-type": file.type || "application/octet-stream",
        },
        body: file,
        credentials: "omit",
        mode: "cors",
      });
    } catch {
      throw new ApiError(0, "network", "");
    }
    const json = await res.json().catch(() => null);
    if (!res.ok || !isRef(json?.attachment)) {
      throw new ApiError(res.ok ? 0 : res.status, json?.error?.code ?? "", "");
    }
    return json.attachment;
  };

  const send = async (u: Up) => {
    draw(u);
    try {
      u.ref ??= await upload(u.file);
      got(
        await api("POST", "messages", {
          text: "",
          clientId: u.clientId,
          attachments: [u.ref.id],
          page: location.href,
        }),
      );
      done(u);
      status.textContent = fill(w.sent, u.file.name);
    } catch (err) {
      const { status: s, code } = err as ApiError;
      const refusal = s === 413
        ? fill(w.big, sizeText(u.file.size, o.lang))
        : s === 415
        ? w.kind
        : code === "empty_file"
        ? w.empty
        : "";
      if (refusal) return draw(u, refusal);
      // The upload was refused or lost (e.g. expired): Try again uploads it anew.
      if (s >= 400 && s < 500 && s !== 429) u.ref = undefined;
      draw(u, s === 429 ? w.busy : w.failed, true);
    }
  };
  const go = (u: Up) => queue = queue.then(() => send(u));

  input.onchange = () => {
    for (const file of [...input.files ?? []]) {
      const clientId = "f-" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
      const u: Up = { file, row: el("li"), clientId };
      list.append(u.row);
      // Refused here when it cannot pass (no upload to wait for); the server checks again.
      if (file.size > MAX_ATTACHMENT_BYTES) draw(u, fill(w.big, sizeText(file.size, o.lang)));
      else if (!file.size) draw(u, w.empty);
      else if (file.type && !declaredTypeAllowed(file.type)) draw(u, w.kind);
      else go(u);
    }
    input.value = "";
  };
  v.form.insertBefore(attach, v.form.lastElementChild); // before Send
  v.form.append(input);
  v.form.before(list, status);
}
