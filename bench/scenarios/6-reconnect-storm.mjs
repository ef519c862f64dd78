// Scenario 6 — reconnect storm: 2,000 subscribers (quick: 1,000) over 20 rooms (raw STOMP clients that do what the SDK does:
// full-jitter backoff, resubscribe with since-seq), one sender sending 100 msg/s round the rooms with a receipt
// per send and an outbox it resends with the same clientMsgId. The server is killed (SIGKILL) and started
// again on the same SQLite file and port while the sender keeps sending. Measured: the time from the kill
// until 99% of the subscribers are caught up (resubscribed, replay done), and, once everything sent is
// acknowledged, lost (a subscriber missing a message of its room) and duplicated (one it got twice).
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, pool, rssBytes, sleep, startPeer } from '../lib/proc.mjs';
import { createRoom } from '../lib/jwt.mjs';
import { resendingSender, resumingSubscriber } from '../lib/resuming.mjs';

export const title = 'reconnect storm (2,000 subscribers, SIGKILL + restart while sending)';

const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const until = async (test, ms) => {
  const stop = performance.now() + ms;
  while (!test() && performance.now() < stop) await sleep(20);
  return test();
};

// Each subscriber is a socket on both sides: the generator and the server need ~2,000 descriptors each.
const openFilesLimit = () => /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? '?';

export async function run({ quick, report, log }) {
  const subs = quick ? 1000 : 2000;
  const rooms = 20;
  const rate = 100;
  const beforeMs = quick ? 1000 : 3000;
  const afterMs = quick ? 1500 : 6000;
  const env = { BENCH_DB: join(mkdtempSync(join(tmpdir(), 'groupbuy-bench-6-')), 'chat.db'), BENCH_PORT: String(await freePort()) };
  let server = await startPeer('groupbuy', env);
  const port = server.port;
  const roomOf = (i) => `storm-${i % rooms}`;
  const subscribers = [];
  let sender = null;
  try {
    await pool(rooms, 10, (r) => createRoom(`http://127.0.0.1:${port}`, roomOf(r)));
    for (let i = 0; i < subs; i++) subscribers.push(resumingSubscriber(port, i, roomOf(i)));
    if (!(await until(() => subscribers.every((s) => s.live), 30000))) throw new Error('subscribers did not all subscribe');
    sender = resendingSender(port);
    const sentTo = new Map(); // room → clientMsgIds sent there
    let n = 0;
    let producing = true;
    const producer = (async () => {
      const t0 = performance.now();
      while (producing) {
        const due = Math.floor(((performance.now() - t0) * rate) / 1000);
        for (; n < due; n++) {
          const room = roomOf(n);
          const id = `storm-${n}`;
          if (!sentTo.has(room)) sentTo.set(room, []);
          sentTo.get(room).push(id);
          sender.send(room, 'z'.repeat(200), id);
        }
        await sleep(5);
      }
    })();
    await sleep(beforeMs);
    const rssBefore = rssBytes(server.pid) / 2 ** 20;
    const killedAt = performance.now();
    await server.stop();
    server = await startPeer('groupbuy', env);
    const upAt = performance.now();
    await sleep(afterMs);
    producing = false;
    await producer;
    const drained = await until(() => sender.outbox.size === 0, 30000);
    const caughtUp = await until(() => subscribers.every((s, i) => s.live && s.ids.size >= (sentTo.get(roomOf(i))?.length ?? 0)), 30000);
    // Time from the kill until each subscriber's replay after its resubscribe was done.
    const times = subscribers.map((s) => (s.subscribes > 1 ? s.liveAt - killedAt : Infinity));
    const t99 = percentile([...times], 99);
    let lost = 0;
    let duplicated = 0;
    let truncated = 0;
    subscribers.forEach((s, i) => {
      const ids = sentTo.get(roomOf(i)) ?? [];
      lost += s.lost + ids.filter((id) => !s.ids.has(id)).length;
      duplicated += s.duplicated;
      truncated += s.truncated;
    });
    log(
      `${n} sent, ${sender.acked} acknowledged, ${sender.resent} from the outbox on reconnect, ${sender.refused} refused, outbox ${drained ? 'drained' : `${sender.outbox.size} left`}; ` +
        `restart took ${Math.round(upAt - killedAt)} ms; ${caughtUp ? 'all' : 'not all'} caught up; ${truncated} replay-truncated`,
    );
    report({
      scenario: 6,
      case: `${subs} subscribers (${rooms} rooms), SIGKILL + restart: 99% caught up`,
      value: t99,
      unit: 'ms after the kill',
      p50: percentile([...times], 50),
      p99: t99,
      rssMB: rssBefore,
      ratio: t99 / (upAt - killedAt),
      baseline: 'restart time',
      note: `restart (kill → listening) ${Math.round(upAt - killedAt)} ms; lost ${lost}, duplicated ${duplicated}; ${n} sends at ${rate}/s, ${sender.resent} sent from the outbox on reconnect; ${truncated} replay-truncated; ulimit -n ${openFilesLimit()}`,
    });
    report({
      scenario: 6,
      case: 'reconnect storm: lost / duplicated deliveries',
      value: lost + duplicated,
      unit: `(lost ${lost}, duplicated ${duplicated})`,
    });
  } finally {
    sender?.conn.stop();
    for (const s of subscribers) s.conn.stop();
    await server.stop();
  }
}
