/**
 * CSV as spreadsheets read it (RFC 4180: CRLF lines, fields with a comma,
 * quote or line break quoted, quotes doubled), safe to open: a cell that
 * begins with = + - @ (or a tab or carriage return) would run as a formula in
 * Excel, LibreOffice or Sheets, so it gets a leading apostrophe (OWASP's
 * advice) and shows as the text it is.
 */

/** The UTF-8 byte-order mark, so Excel reads names with accents correctly. */
export const CSV_BOM = "\uFEFF";

/** One cell: null/undefined empty, numbers as they are, text defused and quoted when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One line of cells, CRLF-terminated. */
export function csvLine(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** The Content-Disposition of a download named `name` (ASCII only: it is built from dates and ids). */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`;
}
