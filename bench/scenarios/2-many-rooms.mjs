// Scenario 2 — many rooms: 1,000 rooms × 5 members (quick: 200 × 5), each message sent by one of its room's
// members and delivered to all five (the sender's own copy is its acknowledgement on our endpoints). The
// rooms' rates are a long tail — Zipf (s = 1) over the rooms, so the busiest room carries ~13% of the
// traffic and most rooms a message now and then — drawn from a seeded generator so every peer gets the
// same sequence. The knee (stepped as in scenario 1) is the highest total rate with nothing lost and
// p99 ≤ 100 ms; reported as deliveries/s, against the bare `ws` server doing the same per-room fan-out.
import { fanoutKnee } from '../lib/fanout.mjs';
import { pool, startPeer } from '../lib/proc.mjs';
import { createRoom } from '../lib/jwt.mjs';
import { bareWsRooms, groupbuyStompRooms, groupbuyWsRooms } from '../lib/clients.mjs';

export const title = 'many rooms (1,000 rooms × 5 members, Zipf rates)';

const PER_ROOM = 5;
const peers = [
  { name: 'bare ws', peer: 'bare-ws', client: bareWsRooms },
  { name: 'bare ws + sqlite insert', peer: 'bare-ws-sqlite', client: bareWsRooms, full: true },
  { name: 'groupbuy STOMP', peer: 'groupbuy', rooms: true, client: groupbuyStompRooms },
  { name: 'groupbuy plain WS', peer: 'groupbuy', rooms: true, client: groupbuyWsRooms, full: true },
];

/** mulberry32: a small seeded PRNG, so every peer sees the same room sequence. */
const seeded = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** A sampler of room indexes [0, n) with P(i) ∝ 1 / (i + 1)^s. */
function zipf(n, s, random) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const roomId = (r) => `many-${r}`;

/** The session fanoutKnee drives: every room's members, and a send that picks the room by the Zipf draw. */
function roomsSession(target, rooms) {
  return async (onFrame) => {
    const members = await pool(rooms * PER_ROOM, 100, (i) => target.join(i, roomId(Math.floor(i / PER_ROOM)), onFrame));
    const pick = zipf(rooms, 1, seeded(20261202));
    const turn = new Uint32Array(rooms);
    return {
      perMessage: PER_ROOM,
      send: (k, content, id) => {
        const r = pick();
        members[r * PER_ROOM + (turn[r]++ % PER_ROOM)].send(content, id);
      },
      close: async () => {
        for (const m of members) m.ws.terminate();
      },
    };
  };
}

export async function run({ quick, report, log }) {
  const rooms = quick ? 200 : 1000;
  let bare = null;
  for (const p of peers.filter((x) => !(quick && x.full))) {
    let server = null;
    try {
      server = await startPeer(p.peer);
      if (p.rooms) await pool(rooms, 20, (r) => createRoom(`http://127.0.0.1:${server.port}`, roomId(r)));
      const target = p.client(server.port);
      const { best, start, failedAt } = await fanoutKnee({
        target,
        pid: server.pid,
        subs: rooms * PER_ROOM,
        connect: roomsSession(target, rooms),
        start: 200,
        stepMs: quick ? 400 : 1500,
        coarse: quick ? 2.44140625 : 1.953125,
        drainMs: quick ? 3000 : 10000,
        retry: !quick,
        log: process.env.BENCH_VERBOSE ? log : undefined,
      });
      const deliveries = best ? best.rate * PER_ROOM : null;
      if (p.peer === 'bare-ws') bare = deliveries;
      const note = !best
        ? `below the start rate ${start}/s: lost ${failedAt?.lost}, p99 ${failedAt?.p99?.toFixed(1)} ms`
        : failedAt
          ? `${best.rate} msg/s; next step ${failedAt.rate}/s: lost ${failedAt.lost}, p99 ${failedAt.p99?.toFixed(1)} ms${failedAt.cut ? `, ${failedAt.cut} cut` : ''}`
          : `${best.rate} msg/s; no failure up to the cap`;
      report({
        scenario: 2,
        case: `${p.name}, ${rooms} rooms × ${PER_ROOM}`,
        value: deliveries,
        unit: 'deliveries/s',
        p50: best?.p50,
        p99: best?.p99,
        serverCpu: best?.serverCpu,
        genCpu: best?.genCpu,
        rssMB: best?.rssMB,
        ratio: p.peer === 'bare-ws' || !bare || deliveries === null ? undefined : deliveries / bare,
        baseline: 'bare ws',
        note: `${note}; lost 0 at the knee${best ? `; generator CPU ${Math.round(best.genCpu * 100)}%` : ''}`,
      });
    } catch (err) {
      log(`${p.name}: failed: ${err instanceof Error ? err.message : String(err)}`);
      report({
        scenario: 2,
        case: `${p.name}, ${rooms} rooms × ${PER_ROOM}`,
        value: null,
        unit: 'deliveries/s',
        note: `failed: ${String(err)}`,
      });
    } finally {
      await server?.stop();
    }
  }
}
