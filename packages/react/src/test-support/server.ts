// The reference server for these tests: the built CLI as a child process (@groupbuy/testing's ServerProcess,
// which the SDK's suites use too) and the REST helpers the tests need (@groupbuy/testing/rest).
import type { Room } from '@groupbuy/protocol';
import { restClient, type DevTokenOptions, type RestClient, type RoomInit } from '@groupbuy/testing/rest';
import { ServerProcess as CliServerProcess } from '@groupbuy/testing/server-process';

/** The HS256 secret of every test server. */
export const TEST_SECRET = 'react-tests-secret-long-enough-for-hs256';

/** A generous send budget so no test trips the rate limit it is not testing: `capacity/refillMs`. */
const RATE_LIMIT = '10000/1000';

/** The built server CLI as a child process, so a test can SIGKILL it and start it again on the same database. */
export class ServerProcess extends CliServerProcess {
  constructor() {
    super({ secret: TEST_SECRET, rateLimit: RATE_LIMIT, tempPrefix: 'groupbuy-react-' });
  }
}

const rest = (url: string): RestClient => restClient(url, { prefix: 'react' });

/** A dev token from `POST /api/dev/token`. */
export function devToken(url: string, userId: string, options?: DevTokenOptions): Promise<string> {
  return rest(url).devToken(userId, options);
}

/** A fresh room, created by the trade service; ids are unique per run. */
export function createRoom(url: string, init?: RoomInit): Promise<Room> {
  return rest(url).createRoom(init);
}

/** Polls until a condition holds (the helper both client suites share). */
export { waitFor } from '@groupbuy/testing/wait';
