// The fan-out knee: N subscribers in one room, 10 publishers, 200-byte messages; the total send rate is
// stepped ×1.25 (coarsely ×1.95 until the first failure, then ×1.25 up from the last pass). The knee is the
// highest rate with nothing lost and p99 ≤ 100 ms. Latency is publisher send → subscriber receipt, both in
// this process, read from a `t<ms>~<step>~` stamp at the start of each message's content.
import { cpuMeter, percentile, pool, rssBytes, sleep } from './proc.mjs';

const STAMP = /t(\d+\.\d+)~(\d+)~/;
const PAD = 'x'.repeat(200);
const body = (step) => {
  const head = `t${performance.now().toFixed(3)}~${step}~`;
  return head + PAD.slice(head.length);
};

async function connectAll(target, subs, pubs, onText) {
  const subSockets = await pool(subs, 100, (i) => target.sub(i, onText));
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
 * Runs the stepped search against one target; resolves with the knee and the figures at it. `connect(onText)`
 * (default: `subs` subscribers and `pubs` publishers of one room) resolves with a session
 * { send(k, content, clientMsgId) for the k-th message of a step, perMessage (deliveries each message owes), close() }.
 */
export async function fanoutKnee({
  target,
  pid,
  subs,
  pubs = 10,
  connect = (onText) => connectAll(target, subs, pubs, onText),
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
  const onText = (s) => {
    const m = STAMP.exec(s);
    if (!m) return;
    lastReceiveAt = performance.now();
    if (Number(m[2]) !== step) return;
    received++;
    latencies.push(performance.now() - Number(m[1]));
  };
  let session = await connect(onText);
  await sleep(800); // let subscribe-time traffic (viewers pushes) settle
  const cpu = cpuMeter(pid);

  const runStep = async (rate) => {
    step++;
    received = 0;
    latencies = [];
    const closedBefore = target.state.closed;
    cpu.reset();
    const gen0 = process.cpuUsage();
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
    const lat = latencies;
    const r = {
      rate,
      sent,
      lost: expected - received,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      serverCpu,
      genCpu,
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
        session = await connect(onText);
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
    log?.(`    ${r.rate}/s: lost ${r.lost}, p99 ${r.p99?.toFixed(1)} ms, cpu ${Math.round(r.serverCpu * 100)}%`);
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
      log?.(`    ${r.rate}/s: lost ${r.lost}, p99 ${r.p99?.toFixed(1)} ms, cpu ${Math.round(r.serverCpu * 100)}%`);
      if (!r.pass) break;
      best = r;
      rate = Math.round(rate * 1.25);
    }
  }
  await session.close();
  return { best, start, steps, failedAt: steps.find((s) => !s.pass && s.rate > (best?.rate ?? 0)) ?? null };
}
