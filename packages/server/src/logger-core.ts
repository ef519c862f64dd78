/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields of a structured log line. Never put a token, a message's content or a network address here. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A structured logger: one JSON object per line. */
export interface Logger {
  /** Writes a line at `level`. */
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

/** The levels, lowest first (what LOG_LEVEL accepts). */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

// Keys that must never reach a log even if a caller passes them by mistake.
const REDACTED = /token|authorization|cookie|passcode|secret|password|^ip$|ipaddr|remote|address|content/i;

/** The value written in place of a redacted field. */
export const REDACTED_VALUE = '[redacted]';

/** `fields` with every token-, content- or address-like key's value replaced by {@link REDACTED_VALUE}. */
export function redactFields(fields: LogFields | undefined): LogFields {
  const safe: LogFields = {};
  for (const [k, v] of Object.entries(fields ?? {})) safe[k] = REDACTED.test(k) ? REDACTED_VALUE : v;
  return safe;
}

/** A logger that drops everything (tests, the in-process core). */
export const silentLogger: Logger = { log() {} };
