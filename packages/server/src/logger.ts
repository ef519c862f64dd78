import { pino, type DestinationStream, type Level } from 'pino';
import { REDACTED_VALUE, redactFields, type LogLevel, type Logger } from './logger-core.js';

export { LOG_LEVELS, redactFields, silentLogger, type LogFields, type LogLevel, type Logger } from './logger-core.js';

// pino's own redaction, on top of the key rule in logger-core.ts: the same names wherever they sit in an
// object a caller logs (one level deep), and the headers of a request object.
const REDACT_PATHS = ['token', 'authorization', 'cookie', 'password', 'secret', 'content', 'ip', 'address', 'remoteAddress']
  .flatMap((key) => [key, `*.${key}`])
  .concat(['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie']);

/**
 * A pino logger behind {@link Logger}: one JSON object per line with `time` (ISO), `level` (the word) and
 * `msg`, fields redacted by key (logger-core.ts) and by pino's `redact`. Lines go to stdout, warn and error
 * to stderr; `minLevel` @default 'info' (LOG_LEVEL); `write` replaces both streams (tests).
 */
export function createJsonLogger(minLevel: LogLevel = 'info', write?: (line: string, level: LogLevel) => void): Logger {
  const destination: DestinationStream = write
    ? lineStream(write)
    : pino.multistream(
        [
          { level: 'debug', stream: pino.destination({ fd: 1, sync: true }) },
          { level: 'warn', stream: pino.destination({ fd: 2, sync: true }) },
        ],
        { dedupe: true },
      );
  const logger = pino(
    {
      level: minLevel,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED_VALUE },
    },
    destination,
  );
  return {
    log(level, msg, fields) {
      logger[level satisfies Level](redactFields(fields), msg);
    },
  };
}

function lineStream(write: (line: string, level: LogLevel) => void): DestinationStream {
  return {
    write(chunk: string) {
      const line = chunk.trimEnd();
      write(line, (JSON.parse(line) as { level: LogLevel }).level);
    },
  };
}
