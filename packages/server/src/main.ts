#!/usr/bin/env node
import { loadConfig, readLogLevel } from './config.js';
import { createJsonLogger } from './logger.js';
import { startFromConfig } from './server.js';

// The CLI: flags and environment → a listening server that shuts down cleanly on SIGTERM / SIGINT.
// `pnpm start` (examples/shop-page/serve.mjs) goes through the same loadConfig + startFromConfig.
const logger = createJsonLogger(readLogLevel(process.argv.slice(2), process.env));
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
