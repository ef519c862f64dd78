// The fan-out knee: N subscribers in one room, 10 publishers, 200-byte messages; the total send rate is
// stepped ×1.25 (coarsely ×1.95 until the first failure, then ×1.25 up from the last pass). The knee is the
// highest rate with nothing lost and p99 ≤ 100 ms. Latency is publisher send → subscriber receipt, both in
// this process, read from a `t<ms>~<step>~` stamp at the start of each message's content. Every received frame
// is read on its bytes (./wsraw.mjs gives the range; no string, no regex): the stamp is found with one native
// indexOf and its two numbers read digit by digit. Each server sends one chat message per WebSocket frame, but
// every stamp in a frame is counted, so a server that coalesced messages into one frame would be counted in
// messages, not frames.
import { cpuMeter, percentile, pool, rssBytes, sleep } from './proc.mjs';

const TILDE = 0x7e;
const DOT = 0x2e;
const T = 0x74;

/**
 * Calls `found(sentAtMs, step)` for each `t<ms>.<frac>~<step>~` stamp in bytes [start, end) of `buf`.
 */
export function readStamps(buf, start, end, found) {
  let at = buf.indexOf(TILDE, start);
  while (at >= 0 && at < end) {
    // Back from the `~` over `<digits>.<digits>` to the `t`.
    let b = at - 1;
    while (b > start && buf[b] !== T && at - b < 24) b--;
    let ms = 0;
    let scale = 0;
    let ok = buf[b] === T && b + 1 < at;
    for (let k = b + 1; ok && k < at; k++) {
      const c = buf[k];
      if (c === DOT && scale === 0) scale = 1;
      else if (c >= 0x30 && c <= 0x39) {
        if (scale) scale *= 10;
        ms = ms * 10 + (c - 0x30);
      } else ok = false;
    }
    let step = 0;
    let k = at + 1;
    for (; ok && k < end && buf[k] !== TILDE; k++) {
      const c = buf[k];
      if (c >= 0x30 && c <= 0x39) step = step * 10 + (c - 0x30);
      else ok = false;
    }
    if (ok && k < end && k > at + 1) {
      found(scale ? ms / scale : ms, step);
      at = buf.indexOf(TILDE, k + 1);
    } else at = buf.indexOf(TILDE, at + 1);
  }
}
const PAD = 'x'.repeat(200);
const body = (step) => {
  const head = `t${performance.now().toFixed(3)}~${step}~`;
  return head + PAD.slice(head.length);
};

async function connectAll(target, subs, pubs, onFrame) {
  const subSockets = await pool(subs, 100, (i) => target.sub(i, onFrame));
  const pubClients = await pool(pubs, 10, (i) => target.pub(i));
  return {
    send: (k, content, id) => pubClients[k % pubs].send(content, id),
    perMessage: subs,
    close: async () => {
      for (const ws of subSockets) ws.terminate();
      for (const p of pubClients) p.ws.terminate();
      await sleep(200);
    },
  };
}

/**
 * Runs the stepped search against one target; resolves with the knee and the figures at it. `connect(onFrame)`
 * (default: `subs` subscribers and `pubs` publishers of one room) resolves with a session
 * { send(k, content, clientMsgId) for the k-th message of a step, perMessage (deliveries each message owes), close() }.
 */
export async function fanoutKnee({
  target,
  pid,
  subs,
  pubs = 10,
  connect = (onFrame) => connectAll(target, subs, pubs, onFrame),
  start = Math.max(10, Math.round(10000 / subs)),
  stepMs,
  coarse = 1.953125,
  drainMs = 5000,
  retry = true,
  maxRate = 50000,
  log,
}) {
  let step = 0;
  let received = 0;
  let latencies = [];
  let lastReceiveAt = 0;
  let receivedAt = 0;
  const onStamp = (sentAt, s) => {
    lastReceiveAt = receivedAt;
    if (s !== step) return;
    received++;
    latencies.push(receivedAt - sentAt);
  };
  // receivedAt: one clock read per received chunk (./wsraw.mjs), shared by the frames in it.
  const onFrame = (buf, start, end, at) => {
    receivedAt = at;
    readStamps(buf, start, end, onStamp);
  };
  let session = await connect(onFrame);
  await sleep(800); // let subscribe-time traffic (viewers pushes) settle
  const cpu = cpuMeter(pid);

  const runStep = async (rate) => {
    step++;
    received = 0;
    latencies = [];
    const closedBefore = target.state.closed;
    cpu.reset();
    const gen0 = process.cpuUsage();
    // The generator's event-loop utilisation: well under 1 means it waited for frames, so it was not the limit.
    const loop0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    let sent = 0;
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const elapsed = performance.now() - t0;
        const due = Math.min(Math.floor((rate * Math.min(elapsed, stepMs)) / 1000), Math.floor((rate * stepMs) / 1000));
        while (sent < due) {
          session.send(sent, body(step), `m${step}-${sent}`);
          sent++;
        }
        if (elapsed >= stepMs) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    const expected = sent * session.perMessage;
    const deadline = performance.now() + 2000;
    while (received < expected && performance.now() < deadline) await sleep(20);
    const serverCpu = cpu.read();
    const g = process.cpuUsage(gen0);
    const genCpu = (g.user + g.system) / 1000 / (performance.now() - t0);
    const genLoop = performance.eventLoopUtilization(loop0).utilization;
    const lat = latencies;
    const r = {
      rate,
      sent,
      lost: expected - received,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      serverCpu,
      genCpu,
      genLoop,
      rssMB: rssBytes(pid) / 2 ** 20,
      cut: target.state.closed - closedBefore,
    };
    r.pass = r.lost === 0 && r.p99 <= 100 && r.cut === 0;
    if (!r.pass) {
      // Let a backlog drain before the next step: until nothing arrived for 300 ms (≤ drainMs).
      const stop = performance.now() + drainMs;
      while (performance.now() - lastReceiveAt < 300 && performance.now() < stop) await sleep(100);
      if (r.cut > 0) {
        await session.close();
        session = await connect(onFrame);
        await sleep(800);
      }
    }
    return r;
  };

  let best = null;
  let rate = start;
  const steps = [];
  // Warm-up (not recorded): JIT on both sides, and the first sends after a subscribe storm.
  await runStep(start);
  if (retry) await runStep(start);
  // A failing step is tried once more before it counts (not in --quick): a single GC pause must not end the search.
  // The machine may be shared (load average is recorded with each scenario), so up to three attempts.
  const attempt = async (at) => {
    let r = await runStep(at);
    for (let i = 0; i < 2 && retry && !r.pass; i++) r = await runStep(at);
    return r;
  };
  // Coarse: ×1.25³ (quick: ×1.25⁴) while passing.
  for (;;) {
    const r = await attempt(rate);
    steps.push(r);
    log?.(
      `    ${r.rate}/s: lost ${r.lost}, p99 ${r.p99?.toFixed(1)} ms, cpu ${Math.round(r.serverCpu * 100)}%, generator ${Math.round(r.genCpu * 100)}% (loop ${Math.round(r.genLoop * 100)}%)`,
    );
    if (!r.pass) break;
    best = r;
    if (rate >= maxRate) break;
    rate = Math.round(rate * coarse);
  }
  // Fine: ×1.25 from the last pass until a failure.
  if (best && best.rate < maxRate) {
    const ceiling = steps[steps.length - 1].rate;
    rate = Math.round(best.rate * 1.25);
    while (rate < ceiling) {
      const r = await attempt(rate);
      steps.push(r);
      log?.(
        `    ${r.rate}/s: lost ${r.lost}, p99 ${r.p99?.toFixed(1)} ms, cpu ${Math.round(r.serverCpu * 100)}%, generator ${Math.round(r.genCpu * 100)}% (loop ${Math.round(r.genLoop * 100)}%)`,
      );
      if (!r.pass) break;
      best = r;
      rate = Math.round(rate * 1.25);
    }
  }
  await session.close();
  return { best, start, steps, failedAt: steps.find((s) => !s.pass && s.rate > (best?.rate ?? 0)) ?? null };
}
