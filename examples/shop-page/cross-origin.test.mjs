// End to end on a "real shop": the chat server started with the production command
// (`node packages/server/dist/main.js`, JWT_SECRET, ALLOWED_ORIGINS naming the shop), and a shop page on a
// SECOND origin (its own port) that embeds the widget with one module script loaded from the chat server
// and hands it a token the shop's backend signed. A third origin, not listed, gets the same page and
// cannot chat. Debian's Chromium via playwright-core; screenshots go to ./test-artifacts/.
// Needs the build (`pnpm build` at the repository root): the server's dist and the widget bundle.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { signToken } from '@groupbuy/server';
import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const artifacts = join(here, 'test-artifacts');
const SECRET = 'cross-origin-test-secret-that-is-long-enough';

let dir;
let chat; // { child, url, lines }
let shop; // the listed shop origin
let other; // an origin ALLOWED_ORIGINS does not name
let browser;

/** What the shop's backend does: signs a short-lived token for its signed-in customer. */
async function shopToken(userId, name, role) {
  const { token } = await signToken({ secret: SECRET }, { userId, name, ttlSeconds: 600, ...(role ? { role } : {}) });
  return token;
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);

/**
 * A tiny shop on its own port: GET /product/<id>?user=<id>&name=<name> answers a product page that loads
 * the widget from the chat server with one module script, with the customer's token in the markup.
 */
function startShop() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    const m = /^\/product\/([\w-]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const token = await shopToken(url.searchParams.get('user') ?? 'guest', url.searchParams.get('name') ?? 'Guest');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<html lang="ko">
  <head>
    <meta charset="utf-8" />
    <title>제주 노지 감귤 5kg — 다른 오리진의 쇼핑몰</title>
    <script type="module" src="${chat.url}/elements/groupbuy-chat.bundle.js"></script>
    <style>body { font-family: sans-serif; margin: 24px; max-width: 720px; } groupbuy-chat { height: 600px; }</style>
  </head>
  <body>
    <h1>제주 노지 감귤 5kg</h1>
    <p>This page is served from ${escapeHtml(`http://${req.headers.host}`)}; the chat from ${escapeHtml(chat.url)}.</p>
    <groupbuy-chat product-id="${escapeHtml(m[1])}" base-url="${escapeHtml(chat.url)}" token="${escapeHtml(token)}"></groupbuy-chat>
  </body>
</html>`);
  });
  return new Promise((resolveListen) =>
    server.listen(0, '127.0.0.1', () => resolveListen({ server, origin: `http://127.0.0.1:${server.address().port}` })),
  );
}

/**
 * Starts `script` (@default the production command, `node packages/server/dist/main.js`) with only `env`;
 * resolves once it logs "listening", with its URL, its JSON log lines and its stderr so far.
 */
function startChatServer(env, script = join(repo, 'packages/server/dist/main.js')) {
  const child = spawn(process.execPath, [script], {
    cwd: dirname(script),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const out = { child, url: '', lines, stderr: '' };
  return new Promise((resolveStart, reject) => {
    child.stdout.on('data', (d) => {
      for (const l of d.toString().split('\n')) {
        if (!l.startsWith('{')) continue; // serve.mjs's banner for people
        const line = JSON.parse(l);
        lines.push(line);
        if (line.msg === 'listening') resolveStart(Object.assign(out, { url: line.url }));
      }
    });
    child.stderr.on('data', (d) => (out.stderr += d.toString()));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${out.stderr}`)));
  });
}

async function stopChatServer(server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function rest(method, path, token, body) {
  const res = await fetch(`${chat.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'groupbuy-cross-origin-'));
  // Both shops listen before the chat server starts: ALLOWED_ORIGINS has to name the shop's port.
  shop = await startShop();
  other = await startShop();
  chat = await startChatServer({
    JWT_SECRET: SECRET,
    ALLOWED_ORIGINS: shop.origin,
    DATABASE_URL: join(dir, 'chat.db'),
    PORT: '0',
    HOST: '127.0.0.1',
  });
  browser = await chromium.launch(chromiumLaunchOptions);
});

after(async () => {
  await browser?.close();
  if (chat) await stopChatServer(chat);
  for (const s of [shop, other]) s?.server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newRoom() {
  const productId = `xo-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const created = await rest('POST', '/api/chat/rooms', await shopToken('shop-trade-service', 'Trade service', 'service'), {
    productId,
    title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
    maxParticipants: 10,
    minParticipants: 2,
    expiresAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    hostId: 'shop-seller',
  });
  assert.equal(created.status, 201);
  return productId;
}

/** A shopper in their own browser context on `origin`'s product page. */
async function visit(origin, productId, userId, name) {
  const context = await browser.newContext({ viewport: { width: 900, height: 820 }, locale: 'ko-KR', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  const widgetResponses = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.url().startsWith(`${chat.url}/elements/`)) widgetResponses.push(r);
  });
  await page.goto(`${origin}/product/${productId}?user=${encodeURIComponent(userId)}&name=${encodeURIComponent(name)}`);
  await page.waitForFunction(() => customElements.get('groupbuy-chat') !== undefined);
  return { page, errors, widgetResponses };
}

/** The status a WebSocket upgrade from `origin` gets (a raw request: Node 20 has no WebSocket client). */
function upgradeStatus(path, origin, base = chat.url) {
  return new Promise((resolveStatus, reject) => {
    const req = request(`${base}${path}`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        Origin: origin,
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'v12.stomp',
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolveStatus(res.statusCode);
    });
    req.on('response', (res) => {
      res.resume();
      resolveStatus(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

const chatPart = (page, selector) => page.locator(`groupbuy-chat ${selector}`);

async function send(page, text) {
  await chatPart(page, 'textarea').fill(text);
  await chatPart(page, 'textarea').press('Enter');
}

describe('the widget embedded on a shop from another origin', { timeout: 120_000 }, () => {
  it('loads from the chat server with one script tag; two shoppers chat, one joins, both see it', async () => {
    const productId = await newRoom();
    const a = await visit(shop.origin, productId, 'minji', '민지');
    const b = await visit(shop.origin, productId, 'alex', 'Alex');
    for (const { page } of [a, b]) await chatPart(page, '[role="log"][aria-busy="false"]').waitFor();

    // The widget came from the chat server, cross-origin: the stable entry plus hashed chunks, compressed.
    const entry = a.widgetResponses.find((r) => r.url().endsWith('/elements/groupbuy-chat.bundle.js'));
    assert.ok(entry, 'the entry was fetched from the chat server');
    assert.equal(entry.headers()['access-control-allow-origin'], '*');
    const chunks = a.widgetResponses.filter((r) => r.url().includes('/elements/chunks/'));
    assert.ok(chunks.length >= 2, 'the core and the STOMP transport arrive as chunks');
    for (const r of chunks) {
      assert.equal(r.status(), 200);
      assert.equal(r.headers()['content-encoding'], 'br');
      assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
    }

    await send(a.page, '안녕하세요! 다른 쇼핑몰에서도 채팅이 되네요!');
    await chatPart(b.page, '.row.chat .bubble').filter({ hasText: '다른 쇼핑몰에서도 채팅이 되네요' }).waitFor();
    await send(b.page, 'Hi! Joining too if the price holds.');
    await chatPart(a.page, '.row.chat .bubble').filter({ hasText: 'Joining too' }).waitFor();

    await chatPart(a.page, '[part~="join-button"]').click();
    for (const { page } of [a, b]) {
      await chatPart(page, '.row.system').filter({ hasText: '민지님이 참여했어요 (1/10)' }).waitFor();
      await page.waitForFunction(
        () =>
          document.querySelector('groupbuy-chat')?.shadowRoot?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '1',
      );
    }
    await a.page.screenshot({ path: join(artifacts, 'cross-origin-shopper-a.png') });
    await b.page.screenshot({ path: join(artifacts, 'cross-origin-shopper-b.png') });

    // Stored on the server, seen through REST as the trade service.
    const service = await shopToken('shop-trade-service', 'Trade service', 'service');
    const { body: history } = await rest('GET', `/api/chat/rooms/${productId}/messages`, service);
    assert.deepEqual(
      history.messages.filter((m) => m.type === 'CHAT').map((m) => m.sender.userId),
      ['minji', 'alex'],
    );
    const { body: buyers } = await rest('GET', `/api/chat/rooms/${productId}/participants`, service);
    assert.deepEqual(
      buyers.participants.map((p) => p.userId),
      ['minji'],
    );

    assert.deepEqual([...a.errors, ...b.errors], []);
    await a.page.context().close();
    await b.page.context().close();
  });

  it('lets a page from an origin not in ALLOWED_ORIGINS load the widget but not chat, and stores nothing from it', async () => {
    const productId = await newRoom();
    const intruder = await visit(other.origin, productId, 'intruder', '침입자');
    const token = await shopToken('intruder', '침입자');

    // What the widget (or any script on that page) would do, tried directly in the page.
    const attempts = await intruder.page.evaluate(
      async ({ base, productId, token }) => {
        const refusedByCors = async (path, init) => {
          try {
            await fetch(`${base}${path}`, init);
            return false;
          } catch {
            return true; // a TypeError: the browser refused to hand the answer over (CORS)
          }
        };
        const auth = { Authorization: `Bearer ${token}` };
        const json = { ...auth, 'Content-Type': 'application/json' };
        const socketOpened = (url, protocols) =>
          new Promise((resolve) => {
            const ws = new WebSocket(url, protocols);
            ws.onopen = () => {
              // Had it opened, this would be a chat message; it must never get here.
              ws.send(`CONNECT\naccept-version:1.2\nhost:chat\nAuthorization:Bearer ${token}\n\n\0`);
              ws.send(
                `SEND\ndestination:/app/chat/${productId}\ncontent-type:application/json\n\n${JSON.stringify({ content: 'spam over a socket', clientMsgId: 'intruder-ws' })}\0`,
              );
              setTimeout(() => resolve(true), 500);
            };
            ws.onclose = () => resolve(false);
          });
        return {
          readRoom: await refusedByCors(`/api/chat/rooms/${productId}`, { headers: auth }),
          join: await refusedByCors(`/api/chat/rooms/${productId}/participants`, { method: 'POST', headers: json }),
          // A "simple" request needs no preflight: the browser sends it, the server must refuse it itself.
          simplePost: await refusedByCors(`/api/chat/rooms/${productId}/participants`, { method: 'POST', body: token }),
          stomp: await socketOpened(`${base.replace(/^http/, 'ws')}/ws`, ['v12.stomp']),
          plainWs: await socketOpened(`${base.replace(/^http/, 'ws')}/chat/${productId}?token=${encodeURIComponent(token)}`),
        };
      },
      { base: chat.url, productId, token },
    );
    assert.deepEqual(attempts, { readRoom: true, join: true, simplePost: true, stomp: false, plainWs: false });

    // The browser hides why a socket failed; the server's answer to that Origin is a 403.
    assert.equal(await upgradeStatus('/ws', other.origin), 403);
    assert.equal(await upgradeStatus('/ws', shop.origin), 101);

    // The widget itself cannot get going there either; a shopper typing into it sends nothing.
    const textarea = chatPart(intruder.page, 'textarea');
    if ((await textarea.count()) > 0 && !(await textarea.isDisabled())) await send(intruder.page, 'spam from the widget');
    await intruder.page.screenshot({ path: join(artifacts, 'cross-origin-unlisted.png') });

    const service = await shopToken('shop-trade-service', 'Trade service', 'service');
    const { body: history } = await rest('GET', `/api/chat/rooms/${productId}/messages`, service);
    assert.deepEqual(history.messages, []);
    const { body: buyers } = await rest('GET', `/api/chat/rooms/${productId}/participants`, service);
    assert.deepEqual(buyers.participants, []);
    assert.equal(
      chat.lines.some((l) => l.user === 'intruder'),
      false,
    );
    await intruder.page.context().close();
  });

  it('gets the same configuration under `pnpm start` (serve.mjs): ALLOWED_ORIGINS, the widget route, the dev-mode warning', async () => {
    const dev = await startChatServer(
      { ALLOWED_ORIGINS: shop.origin, DATABASE_URL: join(dir, 'dev.db'), PORT: '0' },
      join(here, 'serve.mjs'),
    );
    try {
      const preflight = async (origin) =>
        (
          await fetch(`${dev.url}/api/chat/rooms/x/participants`, {
            method: 'OPTIONS',
            headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
          })
        ).headers.get('access-control-allow-origin');
      assert.equal(await preflight(shop.origin), shop.origin);
      assert.equal(await preflight(other.origin), null);
      assert.equal(await upgradeStatus('/ws', shop.origin, dev.url), 101);
      assert.equal(await upgradeStatus('/ws', other.origin, dev.url), 403);
      const widget = await fetch(`${dev.url}/elements/groupbuy-chat.bundle.js`);
      assert.equal(widget.status, 200);
      assert.equal(widget.headers.get('access-control-allow-origin'), '*');
      // stderr and stdout are two pipes: the warning may arrive after "listening" did.
      while (!/dev mode: .*never use this in production/.test(dev.stderr)) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await stopChatServer(dev);
    }
  });

  it('refuses to start `pnpm start` on a malformed variable, as the production command does', async () => {
    await assert.rejects(
      startChatServer({ RATE_LIMIT: 'ten per second', DATABASE_URL: join(dir, 'bad.db'), PORT: '0' }, join(here, 'serve.mjs')),
      /rate limit "ten per second" must look like 10\/10000/,
    );
  });
});
