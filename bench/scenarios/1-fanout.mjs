// Scenario 1 — fan-out knee in one room: 100 / 1,000 (/ 5,000 in full) subscribers, 10 publishers.
import { fanoutKnee } from '../lib/fanout.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep, startPeer } from '../lib/proc.mjs';
import { createRoom } from '../lib/jwt.mjs';
import { bareWs, groupbuySocketIo, groupbuyStomp, groupbuyWs, plainSocketIo, rabbitReachable, rabbitWebStomp } from '../lib/clients.mjs';

export const title = 'fan-out knee (1 room, 10 publishers, 200 B)';

const peers = [
  { name: 'bare ws', peer: 'bare-ws', client: (port) => bareWs(port) },
  { name: 'bare ws, writes batched per turn', peer: 'bare-ws-batched', client: (port) => bareWs(port) },
  { name: 'bare ws + sqlite insert', peer: 'bare-ws-sqlite', client: (port) => bareWs(port) },
  { name: 'plain Socket.IO', peer: 'socketio', client: (port) => plainSocketIo(port) },
  { name: 'groupbuy STOMP', peer: 'groupbuy', room: true, client: (port, room) => groupbuyStomp(port, room) },
  { name: 'groupbuy plain WS', peer: 'groupbuy', room: true, client: (port, room) => groupbuyWs(port, room) },
  { name: 'groupbuy Socket.IO', peer: 'groupbuy', room: true, client: (port, room) => groupbuySocketIo(port, room) },
];

/**
 * RabbitMQ Web-STOMP on 15674: when a RabbitMQ answers but the plugin does not, the plugin is enabled here
 * (`rabbitmq-plugins enable rabbitmq_web_stomp`, no restart needed) and given 15 s to listen.
 */
async function webStompUp(log) {
  if (await rabbitReachable()) return true;
  try {
    execFileSync('pgrep', ['-o', 'beam.smp']);
  } catch {
    log('RabbitMQ Web-STOMP skipped: no RabbitMQ running on this machine');
    return false;
  }
  try {
    execFileSync('rabbitmq-plugins', ['enable', 'rabbitmq_web_stomp'], { timeout: 60000, stdio: 'pipe' });
    log('RabbitMQ Web-STOMP was off: enabled it (rabbitmq-plugins enable rabbitmq_web_stomp)');
  } catch (err) {
    log(
      `RabbitMQ Web-STOMP skipped: enabling the plugin failed (${String(err.stderr ?? err.message)
        .trim()
        .slice(0, 160)})`,
    );
    return false;
  }
  for (let i = 0; i < 30; i++) {
    if (await rabbitReachable()) return true;
    await sleep(500);
  }
  log('RabbitMQ Web-STOMP skipped: the plugin is on but 127.0.0.1:15674 does not answer');
  return false;
}

/**
 * How many sockets RabbitMQ accepts: it reserves its file descriptors as (open files limit − 100) × 0.9
 * (≈ 830 at the 1,024 a default boot gets), read from the running broker's /proc limits; null when unknown.
 */
function rabbitSocketLimit(pid) {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? Math.floor((Number(m[1]) - 100) * 0.9) : null;
  } catch {
    return null;
  }
}

export async function run({ quick, report, log }) {
  const sizes = quick ? [100, 1000] : [100, 1000, 5000];
  const stepMs = quick ? 400 : 1500;
  if (quick) log('RabbitMQ Web-STOMP skipped in --quick (the full run tries it)');
  const rabbit = !quick && (await webStompUp(log));
  const list = rabbit ? [...peers, { name: 'RabbitMQ Web-STOMP', external: true, client: () => rabbitWebStomp() }] : peers;
  const pick = process.env.BENCH_PEERS?.split(',');
  for (const subs of process.env.BENCH_SUBS ? process.env.BENCH_SUBS.split(',').map(Number) : sizes) {
    let bareKnee = null;
    let batchedKnee = null;
    let stompKnee = null;
    // --quick (under two minutes for all scenarios): bare ws and STOMP at 100, plus plain WS at 1,000; the
    // insert-per-message and Socket.IO peers only in the full run.
    // The batched bare server only at 100 in --quick (the full run has it at every size).
    const quickPeers =
      subs < 1000 ? ['bare ws', 'bare ws, writes batched per turn', 'groupbuy STOMP'] : ['bare ws', 'groupbuy STOMP', 'groupbuy plain WS'];
    const quickSkip = (x) => quick && !quickPeers.includes(x.name);
    for (const p of list.filter((x) => (!pick || pick.includes(x.peer ?? 'rabbit')) && !quickSkip(x))) {
      let server = null;
      let pid;
      try {
        let room = `fanout-${subs}`;
        if (p.external) {
          pid = Number(execFileSync('pgrep', ['-o', 'beam.smp']).toString().trim());
          const limit = rabbitSocketLimit(pid);
          if (limit !== null && subs + 10 > limit) {
            log(`${p.name} × ${subs}: not measurable (the broker takes ${limit} sockets; restarting it is not the bench's to do)`);
            report({
              scenario: 1,
              case: `${p.name} × ${subs} subs`,
              value: null,
              unit: 'msg/s',
              note: `not measurable: RabbitMQ accepts ${limit} sockets here (its open-files limit at boot), fewer than ${subs} subscribers + 10 publishers`,
            });
            continue;
          }
        } else {
          server = await startPeer(p.peer);
          pid = server.pid;
          if (p.room) await createRoom(`http://127.0.0.1:${server.port}`, room);
        }
        const target = p.client(server?.port, room);
        const { best, start, failedAt } = await fanoutKnee({
          target,
          pid,
          subs,
          stepMs,
          coarse: quick ? 2.44140625 : 1.953125,
          drainMs: quick ? 3000 : 10000,
          retry: !quick,
          log: process.env.BENCH_VERBOSE ? log : undefined,
        });
        // No pass at all: the knee is below the start rate (reported as null, not as 0).
        const knee = best?.rate ?? null;
        if (p.peer === 'bare-ws') bareKnee = knee;
        if (p.peer === 'bare-ws-batched') batchedKnee = knee;
        // Ours batches a socket's writes per turn too: the ratio to the batched bare server beside the issue's.
        const vsBatched = p.peer === 'groupbuy' && knee && batchedKnee ? `; ×${(knee / batchedKnee).toFixed(2)} vs bare ws batched` : '';
        if (p.name === 'groupbuy STOMP') stompKnee = knee;
        // The issue's other bar: ours over STOMP against the broker, both measured here.
        const vsBroker = p.external && knee && stompKnee ? `; groupbuy STOMP ×${(stompKnee / knee).toFixed(2)} this` : '';
        const note = !best
          ? `below the start rate ${start}/s: lost ${failedAt?.lost}, p99 ${failedAt?.p99?.toFixed(1)} ms`
          : failedAt
            ? `next step ${failedAt.rate}/s: lost ${failedAt.lost}, p99 ${failedAt.p99?.toFixed(1)} ms${failedAt.cut ? `, ${failedAt.cut} cut` : ''}, server CPU ${Math.round(failedAt.serverCpu * 100)}%, generator loop ${Math.round(failedAt.genLoop * 100)}% busy`
            : 'no failure up to the cap';
        report({
          scenario: 1,
          case: `${p.name} × ${subs} subs`,
          value: knee,
          unit: 'msg/s',
          deliveries: knee === null ? null : knee * subs,
          p50: best?.p50,
          p99: best?.p99,
          serverCpu: best?.serverCpu,
          genCpu: best?.genCpu,
          genLoop: best?.genLoop,
          rssMB: best?.rssMB,
          ratio: p.peer === 'bare-ws' || !bareKnee || knee === null ? undefined : knee / bareKnee,
          baseline: 'bare ws',
          note: `${note}${vsBatched}${best ? `; generator CPU ${Math.round(best.genCpu * 100)}% (event loop ${Math.round(best.genLoop * 100)}% busy) at the knee` : ''}${p.external ? `; RabbitMQ not pinned (shares cores)${vsBroker}` : ''}`,
        });
      } catch (err) {
        log(`${p.name} × ${subs}: failed: ${err instanceof Error ? err.message : String(err)}`);
        report({
          scenario: 1,
          case: `${p.name} × ${subs} subs`,
          value: null,
          unit: 'msg/s',
          note: `failed: ${err instanceof Error ? err.message : String(err)}`,
        });
      } finally {
        await server?.stop();
      }
    }
  }
}
