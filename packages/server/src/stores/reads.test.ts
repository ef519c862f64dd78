import { describeReadsContract } from './test-support/reads-contract.js';
import { memoryHarness, postgresHarness, sqliteHarness } from './test-support/harnesses.js';

// Read positions (issue 12) against the three stores: the same suite, one line each.

describeReadsContract('MemoryStore', memoryHarness(), { durable: false });
describeReadsContract('SqliteStore (durable file)', sqliteHarness('reads'), { durable: true });
describeReadsContract('PostgresStore (durable, fresh schema)', postgresHarness('reads'), { durable: true });
