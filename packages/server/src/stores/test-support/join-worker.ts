// A second process for sqlite.test.ts: opens the same database file and, after the parent says "go" on
// stdin, joins and posts for a range of users. Run: node --import tsx join-worker.ts <db> <room> <first> <count>
import { ChatError } from '@groupbuy/protocol';
import { SqliteStore } from '../sqlite.js';

const [path, productId, firstRaw, countRaw] = process.argv.slice(2);
if (path === undefined || productId === undefined || firstRaw === undefined || countRaw === undefined) {
  throw new Error('usage: join-worker.ts <db> <room> <first user> <count>');
}
const first = Number(firstRaw);
const count = Number(countRaw);

const store = SqliteStore.open({ path });
// The barrier: every worker is open before any writes, so their transactions really contend for the lock.
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const outcome = { joined: 0, rejected: [] as string[], posted: 0 };
for (let i = first; i < first + count; i++) {
  const user = { userId: `user-${i}`, name: `Buyer ${i}` };
  try {
    if ((await store.join(productId, user, Date.now())).joined) outcome.joined++;
  } catch (err) {
    // Anything but a ChatError (SQLITE_BUSY above all) is reported as such and fails the parent's test.
    outcome.rejected.push(err instanceof ChatError ? err.code : String(err));
  }
  const sent = await store.append(
    productId,
    { type: 'CHAT', sender: user, content: `hello from ${i}`, clientMsgId: `m-${i}`, allowedStatuses: ['ACTIVE', 'CLOSED'] },
    Date.now(),
  );
  if (!sent.duplicate) outcome.posted++;
}
await store.close();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
process.stdin.destroy();
