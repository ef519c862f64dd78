import type { RoomAddress } from '@groupbuy/protocol';

/** The CSV columns, in order: the RoomAddress field names, stable for a seller's shipping tool. */
export const ADDRESS_CSV_COLUMNS = ['userId', 'name', 'recipient', 'phone', 'postalCode', 'line1', 'line2', 'memo', 'updatedAt'] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP); a leading
// apostrophe makes it text. Tab and CR count too: some spreadsheets skip them before looking.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula starts neutralised, always quoted, inner quotes doubled (RFC 4180 §2.5–2.7). */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The room's addresses as CSV for Excel and shipping tools: a UTF-8 byte-order mark (Excel opens Korean
 * text as UTF-8 only with it), a header row, CRLF line ends (RFC 4180), every cell quoted.
 */
export function addressesCsv(addresses: readonly RoomAddress[]): string {
  const lines = [ADDRESS_CSV_COLUMNS.map(csvCell).join(',')];
  for (const a of addresses) lines.push(ADDRESS_CSV_COLUMNS.map((col) => csvCell(a[col] ?? '')).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
