// Scenario 8 — the client: each entry point's gzipped and brotli size (scripts/size-check.mjs, from the
// build's output), the widget's initial download, and connect → 50 messages painted in headless Chromium:
// a page on the reference server loads /elements/groupbuy-chat.bundle.js, then each run adds a fresh
// <groupbuy-chat> (its own client and socket) to a room holding 50 messages and times, in the page, from
// the element's insertion until 50 rows are in its shadow DOM and the next frame has been painted.
// Twice: with the browser pinned to the generator's core like every client of the bench (the conservative
// figure), then with a browser on every core, as on a shopper's machine (the server is idle meanwhile).
// The server is warmed first (the reads the widget makes, from Node, as a shop's long-running server has
// served them before): its first requests after start are the server's JIT and statement preparation, not
// the client's. The page is not: the first run also downloads the lazy chunks and initialises the
// browser's Intl data, and it is reported on its own as well as counted in p50/p95.
/* global customElements, document, requestAnimationFrame -- page.evaluate bodies run in the browser */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_DIR, percentile, sleep, startPeer, unpinnedWhile } from '../lib/proc.mjs';
import { createRoom, token } from '../lib/jwt.mjs';
import { groupbuyWs } from '../lib/clients.mjs';
import { measure } from '../../scripts/size-check.mjs';
import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';

export const title = 'client: entry point sizes, initial download, connect → 50 messages painted';

const kb = (n) => n / 1024;

export async function run({ quick, report, log }) {
  const sizes = await measure();
  for (const [name, s] of Object.entries(sizes.sdk)) {
    report({ scenario: 8, case: `${name} gz`, value: kb(s.gz), unit: 'KB' });
    report({ scenario: 8, case: `${name} br`, value: kb(s.br), unit: 'KB' });
  }
  report({ scenario: 8, case: 'widget initial download gz (entry + static imports)', value: kb(sizes.initial.gz), unit: 'KB' });
  report({ scenario: 8, case: 'widget initial download br', value: kb(sizes.initial.br), unit: 'KB' });
  // The working chat in English (no `lang`) and in Korean (+ its strings chunk), each against the budget.
  for (const [label, size] of [
    ['working chat gz (+ default ws transport)', sizes.workingChat],
    ['working chat in Korean gz (+ its strings chunk)', sizes.workingChatKorean],
  ]) {
    report({
      scenario: 8,
      case: label,
      value: kb(size.gz),
      unit: 'KB',
      baseline: `${kb(sizes.budget)} KB budget`,
      ratio: size.gz / sizes.budget,
    });
  }

  const require = createRequire(join(BENCH_DIR, '../packages/elements/package.json'));
  const { chromium } = require('playwright-core');
  const server = await startPeer('groupbuy-widget');
  const base = `http://127.0.0.1:${server.port}`;
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const room = 'bench-paint';
    await createRoom(base, room);
    const pub = await groupbuyWs(server.port, room).pub(0);
    for (let i = 0; i < 50; i++) pub.send(`message ${i} — a line of about the length people write in a chat`, `c${i}`);
    await sleep(500);
    pub.ws.close();
    const warm = { headers: { authorization: `Bearer ${token('warm-up')}` } };
    // The one read the widget opens with (GET …/view: the room, the latest page, the buyers).
    for (let i = 0; i < 20; i++) await (await fetch(`${base}/api/chat/rooms/${room}/view`, warm)).text();
    const runs = quick ? 5 : 20;
    // The browser pinned to the generator's core (the other one is the server's), then one on every core
    // (a shopper's machine; the server is idle meanwhile): the first is the conservative figure.
    for (const [label, launch] of [
      ['', async () => browser],
      [', browser on every core', () => unpinnedWhile(() => chromium.launch(chromiumLaunchOptions))],
    ]) {
      const b = await launch();
      const times = await paintRuns(b, base, room, runs);
      if (b !== browser) await b.close();
      const first = times[0];
      const later = times.slice(1).sort((a, b) => a - b);
      log(`connect → 50 painted${label}, ${runs} runs in order: ${times.map((t) => t.toFixed(0)).join(' ')} ms`);
      times.sort((a, b) => a - b);
      report({
        scenario: 8,
        case: `connect → 50 messages painted, p95 (headless Chromium${label})`,
        value: percentile(times, 95),
        unit: 'ms',
        p50: percentile(times, 50),
        note: `p95 in the result column, over ${runs} runs`,
        baseline: '50 ms p95 target',
        ratio: percentile(times, 95) / 50,
      });
      report({
        scenario: 8,
        case: `connect → 50 messages painted, first widget on the page (lazy chunks, Intl data${label})`,
        value: first,
        unit: 'ms',
        note: 'the first of the runs above',
      });
      report({
        scenario: 8,
        case: `connect → 50 messages painted, p95 of the later widgets (chunks and Intl data loaded${label})`,
        value: percentile(later, 95),
        unit: 'ms',
        p50: percentile(later, 50),
        note: `runs 2–${runs}`,
        baseline: '50 ms p95 target',
        ratio: percentile(later, 95) / 50,
      });
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

// A page of the reference server that loads the widget's bundle, then `runs` fresh widgets one after
// another, each timed from its insertion until 50 rows are in its shadow DOM and the next frame began.
async function paintRuns(browser, base, room, runs) {
  const page = await browser.newPage();
  // The page is served at the server's origin (same origin: no CORS list needed); the widget is fetched for real.
  await page.route(`${base}/bench-page`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><script type="module" src="/elements/groupbuy-chat.bundle.js"></script><body></body>`,
    }),
  );
  await page.goto(`${base}/bench-page`);
  await page.waitForFunction(() => customElements.get('groupbuy-chat') !== undefined);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const ms = await page.evaluate(
      async ({ base, room, jwt }) => {
        const rows = (root) => {
          let n = root.querySelectorAll('.row.chat').length;
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) n += rows(el.shadowRoot);
          return n;
        };
        document.body.replaceChildren();
        const el = document.createElement('groupbuy-chat');
        el.setAttribute('base-url', base);
        el.setAttribute('product-id', room);
        el.setAttribute('token', jwt);
        const t0 = performance.now();
        document.body.append(el);
        for (;;) {
          await new Promise((r) => requestAnimationFrame(r));
          if (rows(el.shadowRoot) >= 50) break;
          if (performance.now() - t0 > 10000) throw new Error('50 messages not painted in 10 s');
        }
        // The frame with the rows in it has been produced once the next one starts.
        await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - t0;
      },
      { base, room, jwt: token(`viewer${i}`) },
    );
    times.push(ms);
  }
  await page.close();
  return times;
}
