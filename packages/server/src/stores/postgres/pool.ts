import { Pool, TypeOverrides, type PoolClient } from 'pg';
import type { Logger } from '../../logger-core.js';
import { migratePostgres } from './migrations.js';

// How the PostgreSQL store talks to the database: one pool per store, and one transaction per write.

/**
 * pg's type parsers with bigint (INT8) read as a number. pg hands bigint columns out as strings, since
 * they may exceed 2^53; ours are epoch ms and seqs, far below that, and the check turns silent precision
 * loss into an error should one ever get there.
 */
const int8AsNumber = new TypeOverrides();
int8AsNumber.setTypeParser(20 /* INT8 */, (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`A bigint column holds ${value}, beyond a safe JS integer.`);
  return n;
});

/** How the store's pool connects (the connection part of `PostgresStoreOptions`). */
export interface PoolOptions {
  /** `postgres://user:password@host:port/database`; the usual libpq parameters (`sslmode`, …) apply. */
  connectionString: string;
  /** Connections this instance keeps open at most; each concurrent write holds one. @default 10 */
  poolSize?: number;
  /** How long a call waits for a connection (a new one, or a free one from a busy pool), in ms. @default 10000 */
  connectTimeoutMs?: number;
  /** Told about connections the pool lost while idle (it replaces them on its own). */
  logger?: Logger;
}

/**
 * Connects a pool as `options` say, brings `schema` up to date (creating it when missing) and returns the
 * pool; when that fails the pool is ended and the error thrown.
 */
export async function openPool(options: PoolOptions, schema: string): Promise<Pool> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: Math.max(1, Math.floor(options.poolSize ?? 10)),
    connectionTimeoutMillis: Math.max(0, Math.floor(options.connectTimeoutMs ?? 10_000)),
    types: int8AsNumber,
    // Names our sessions in pg_stat_activity unless the connection string sets application_name.
    fallback_application_name: 'groupbuy-chat',
  });
  // An idle connection that dies (server restart, failover) is reported here and dropped by the pool;
  // without a listener Node would treat the event as an uncaught error and exit.
  pool.on('error', (err) => options.logger?.log('warn', 'postgres idle connection lost', { error: err.message }));
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, schema);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

/** Runs `work` in one READ COMMITTED transaction on one pooled connection; rolls back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      // A connection that cannot roll back is in an unknown state: the pool must not hand it out again.
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
