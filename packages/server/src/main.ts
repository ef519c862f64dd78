#!/usr/bin/env node
import { loadConfig, parseArgs, readLogLevel } from './config.js';
import { createJsonLogger } from './logger.js';
import { rekeyFromConfig } from './rekey.js';
import { startFromConfig } from './server.js';

// The CLI: flags and environment → a listening server that shuts down cleanly on SIGTERM / SIGINT.
// `pnpm start` (examples/shop-page/serve.mjs) goes through the same loadConfig + startFromConfig.
// `groupbuy-server rekey [--batch-size N] [--pause-ms MS]` re-encrypts stored content under the first
// key of CHAT_CONTENT_KEYS, reading the same configuration, and exits.
const logger = createJsonLogger(readLogLevel(process.argv.slice(2), process.env));
if (process.argv[2] === 'rekey') {
  try {
    const argv = process.argv.slice(3);
    const flags = parseArgs(argv);
    const batchSize = Number(flags.get('batch-size') ?? 500);
    const pauseMs = Number(flags.get('pause-ms') ?? 0);
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || !Number.isSafeInteger(pauseMs) || pauseMs < 0) {
      throw new Error('--batch-size must be a whole number of at least 1 and --pause-ms one of at least 0.');
    }
    await rekeyFromConfig(loadConfig(argv, process.env), logger, { batchSize, pauseMs });
    process.exit(0);
  } catch (err) {
    logger.log('error', 'rekey failed', { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}
try {
  const server = await startFromConfig(loadConfig(process.argv.slice(2), process.env), { logger });
  const stop = (signal: string) => {
    logger.log('info', 'shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.log('error', 'shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (err) {
  logger.log('error', 'failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
