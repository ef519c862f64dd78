/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields of a structured log line. Never put a token, a message's content or a network address here. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A structured logger: one JSON object per line. */
export interface Logger {
  /** Writes a line at `level`. */
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Keys that must never reach a log even if a caller passes them by mistake.
const REDACTED = /token|authorization|passcode|secret|password|^ip$|ipaddr|remote|address|content/i;

/** A JSON-lines logger on stdout (stderr for warn/error); `minLevel` @default 'info'. */
export function createJsonLogger(minLevel: LogLevel = 'info', write?: (line: string, level: LogLevel) => void): Logger {
  const out =
    write ??
    ((line: string, level: LogLevel) => (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(line + '\n'));
  return {
    log(level, msg, fields) {
      if (ORDER[level] < ORDER[minLevel]) return;
      const safe: LogFields = {};
      for (const [k, v] of Object.entries(fields ?? {})) safe[k] = REDACTED.test(k) ? '[redacted]' : v;
      out(JSON.stringify({ time: new Date().toISOString(), level, msg, ...safe }), level);
    },
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { log() {} };
