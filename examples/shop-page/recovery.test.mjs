// Recovery end to end: the shop page (serve.mjs, dev mode, started exactly like `pnpm start`) in Debian's
// Chromium, through a dev-server restart on the same port and database, a reload while the server is down,
// and 5-second tokens the page's provider renews. Screenshots go to ./test-artifacts/.
// Needs the build (`pnpm build` at the repository root): the page loads the widget from the server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { silentLogger } from '@groupbuy/server';
import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';
import { createRoom, serve, serviceToken } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'test-artifacts');

let dir;
let database;
let port = 0;
let server;
let browser;
/** False while the server is stopped: the pages' cached static files stand in for the browser's cache. */
let serverUp = false;

/**
 * Starts the dev server the way `pnpm start` does, on the same port and database every time; `overrides`
 * (e.g. another `jwtSecret`) change single settings.
 */
async function start(overrides = {}) {
  ({ server } = await serve({
    argv: ['--port', String(port), '--host', '127.0.0.1', '--database-url', database],
    env: {},
    logger: silentLogger,
    ...overrides,
  }));
  port = Number(new URL(server.url).port);
  serverUp = true;
}

async function stop() {
  serverUp = false;
  await server.close();
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'groupbuy-recovery-'));
  database = join(dir, 'chat.db');
  await start();
  // Pages here are answered by the test's route (a stand-in for the browser's cache), and Chromium gives
  // such a document no address space: its Local Network Access check would then block the WebSocket to
  // 127.0.0.1 that a page loaded from 127.0.0.1 itself is allowed.
  browser = await chromium.launch({
    ...chromiumLaunchOptions,
    args: [...chromiumLaunchOptions.args, '--disable-features=LocalNetworkAccessChecks'],
  });
});

after(async () => {
  await browser?.close();
  if (serverUp) await server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` until it returns something truthy (tests wait for conditions, never for a fixed time). */
async function waitFor(what, check, timeoutMs = 60_000) {
  const started = Date.now();
  let last;
  while (Date.now() - started <= timeoutMs) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resume) => setTimeout(resume, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

async function newRoom() {
  const productId = `recovery-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await createRoom(server.url, {
    productId,
    title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
    maxParticipants: 10,
    expiresAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    hostId: 'demo-seller',
  });
  return productId;
}

/** How many stored CHAT messages of the room have this content (read as the trade service). */
async function storedCount(productId, content) {
  const token = await serviceToken(server.url);
  const res = await fetch(`${server.url}/api/chat/rooms/${productId}/messages?limit=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { messages } = await res.json();
  return messages.filter((m) => m.type === 'CHAT' && m.content === content).length;
}

/**
 * A shopper in their own browser context, signed in on the product page. While the server is down, the
 * page's static files come from what this context loaded before (as the browser's cache would serve a
 * reload), and everything else fails like an unreachable host.
 */
async function shopper(productId, name, query = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR', deviceScaleFactor: 1 });
  const cache = new Map();
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const key = url.pathname + url.search;
    const cacheable = request.method() === 'GET' && !url.pathname.startsWith('/api/');
    if (!serverUp) {
      const hit = cacheable ? cache.get(key) : undefined;
      return hit ? route.fulfill(hit) : route.abort('connectionrefused');
    }
    if (!cacheable) return route.continue();
    try {
      const response = await route.fetch();
      cache.set(key, { status: response.status(), headers: response.headers(), body: await response.body() });
      return route.fulfill({ response });
    } catch {
      return route.abort('connectionrefused');
    }
  });
  const page = await context.newPage();
  let sockets = 0;
  page.on('websocket', () => {
    sockets += 1;
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/?product=${encodeURIComponent(productId)}${query}`);
  await page.fill('#name', name);
  await page.click('#signin button[type="submit"]');
  await page.locator('#signed-in').waitFor();
  await page.locator('groupbuy-chat [role="log"][aria-busy="false"]').waitFor();
  await waitFor(`${name}'s chat to be connected`, () => state(page).then((s) => s === 'open'));
  return { page, context, errors, sockets: () => sockets };
}

/** The connection state of the page's chat client (the page hands the widget its client). */
const state = (page) => page.evaluate(() => document.getElementById('chat').client?.state);

/** How often `text` shows in the page's chat log. */
const shown = (page, text) => page.locator('groupbuy-chat .row.chat .bubble').filter({ hasText: text }).count();

/** The messages of the page's session for the room, as the SDK holds them. */
const sessionMessages = (page, productId) =>
  page.evaluate((id) => {
    const session = document.getElementById('chat').client.room(id); // a second holder of the shared session
    const messages = session.messages.map((m) => ({ content: m.content, status: m.status }));
    session.dispose();
    return messages;
  }, productId);

async function send(page, text) {
  const box = page.locator('groupbuy-chat textarea');
  await box.fill(text);
  await box.press('Enter');
}

describe('shop page recovery', { timeout: 180_000 }, () => {
  it('recovers two open tabs by themselves after a dev restart with the same command, delivering what was typed meanwhile once', async () => {
    const productId = await newRoom();
    const a = await shopper(productId, '민지');
    const b = await shopper(productId, 'Alex');
    await send(a.page, '재시작 전이에요');
    await waitFor('B to see the first message', async () => (await shown(b.page, '재시작 전이에요')) === 1);

    await stop();
    await waitFor(
      'both tabs to notice the server is gone',
      async () => (await state(a.page)) !== 'open' && (await state(b.page)) !== 'open',
    );
    await send(a.page, '서버가 꺼진 동안 썼어요');
    await waitFor('the typed message to show as pending', async () => (await shown(a.page, '서버가 꺼진 동안 썼어요')) === 1);

    const restartedAt = Date.now();
    await start();
    const listeningMs = Date.now() - restartedAt;
    await waitFor('both tabs to reconnect by themselves', async () => (await state(a.page)) === 'open' && (await state(b.page)) === 'open');
    await waitFor(
      'B to see the message typed while the server was down',
      async () => (await shown(b.page, '서버가 꺼진 동안 썼어요')) === 1,
    );
    const recoveredMs = Date.now() - restartedAt;
    console.log(
      `restart-to-recovered: ${recoveredMs} ms (server listening after ${listeningMs} ms, both tabs open and the queued message delivered)`,
    );

    // A later message is a barrier: a duplicate of the first would have arrived before it.
    await send(b.page, '잘 보여요');
    await waitFor('A to see B after the restart', async () => (await shown(a.page, '잘 보여요')) === 1);
    assert.equal(await storedCount(productId, '서버가 꺼진 동안 썼어요'), 1);
    assert.equal(await shown(a.page, '서버가 꺼진 동안 썼어요'), 1);
    assert.equal(await shown(b.page, '서버가 꺼진 동안 썼어요'), 1);
    await a.page.screenshot({ path: join(artifacts, 'recovery-restart-a.png') });
    await b.page.screenshot({ path: join(artifacts, 'recovery-restart-b.png') });
    assert.deepEqual([...a.errors, ...b.errors], []);
    await a.context.close();
    await b.context.close();
  });

  it('keeps a message typed while the server is down across a reload and delivers it once when the server is back', async () => {
    const productId = await newRoom();
    const a = await shopper(productId, '지우');
    await stop();
    await waitFor('the tab to notice the server is gone', async () => (await state(a.page)) !== 'open');
    await send(a.page, '새로고침해도 남아요');
    await waitFor('the message to be persisted', () =>
      a.page.evaluate(() =>
        Object.keys(localStorage).some((k) => k.startsWith('groupbuy-outbox') && localStorage.getItem(k).includes('새로고침해도 남아요')),
      ),
    );

    await a.page.reload(); // the server is still down
    await a.page.locator('#signed-in').waitFor();
    // The SDK restored it as pending (the widget may show its can't-connect state until the first load).
    await waitFor('the restored message to be pending after the reload', async () =>
      (await sessionMessages(a.page, productId)).some((m) => m.content === '새로고침해도 남아요' && m.status === 'pending'),
    );
    await a.page.screenshot({ path: join(artifacts, 'recovery-reload-pending.png') });

    await start();
    await waitFor('the message to be stored', async () => (await storedCount(productId, '새로고침해도 남아요')) === 1);
    await send(a.page, '다시 연결됐어요');
    await waitFor('the next message to be stored', async () => (await storedCount(productId, '다시 연결됐어요')) === 1);
    assert.equal(await storedCount(productId, '새로고침해도 남아요'), 1);
    assert.equal(await shown(a.page, '새로고침해도 남아요'), 1);
    const left = await a.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('groupbuy-outbox')).length);
    assert.equal(left, 0, 'nothing is left waiting in the persisted outbox');
    await a.page.screenshot({ path: join(artifacts, 'recovery-reload-delivered.png') });
    await a.context.close();
  });

  it('asks to sign in again when no token is accepted any more, and the same shopper signing in again delivers what was typed meanwhile', async () => {
    const productId = await newRoom();
    const a = await shopper(productId, '서연');
    await a.page.evaluate(() => {
      window.authRequired = [];
      document.getElementById('chat').addEventListener('groupbuy-auth-required', (e) => window.authRequired.push(e.detail));
    });
    await stop();
    await send(a.page, '다시 로그인하면 보내져요');
    // The shop's sign-in has ended (its token endpoint refuses), and the server comes back with another secret.
    const signedOut = (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Signed out.' } }),
      });
    await a.context.route('**/api/dev/token', signedOut);
    await start({ jwtSecret: `another-dev-secret-${Date.now()}-long-enough-for-hs256` });

    await waitFor("the chat to enter 'auth-required'", async () => (await state(a.page)) === 'auth-required');
    await a.page.locator('#signin').waitFor();
    const events = await a.page.evaluate(() => window.authRequired);
    assert.equal(events.length, 1);
    assert.equal(events[0].productId, productId);
    assert.equal(await a.page.inputValue('#name'), '서연');
    const socketsWhenStopped = a.sockets();
    await a.page.screenshot({ path: join(artifacts, 'recovery-auth-required.png') });
    // A REST round trip later it is still waiting, not reconnecting in a loop.
    await storedCount(productId, '다시 로그인하면 보내져요');
    assert.equal(a.sockets(), socketsWhenStopped);
    assert.equal(await state(a.page), 'auth-required');

    await a.context.unroute('**/api/dev/token', signedOut);
    await a.page.click('#signin button[type="submit"]');
    await a.page.locator('#signed-in').waitFor();
    await waitFor('the message typed meanwhile to be stored', async () => (await storedCount(productId, '다시 로그인하면 보내져요')) === 1);
    await waitFor('the chat to be open again', async () => (await state(a.page)) === 'open');
    await waitFor('the message to show as sent', async () =>
      (await sessionMessages(a.page, productId)).some((m) => m.content === '다시 로그인하면 보내져요' && m.status === 'sent'),
    );
    assert.equal(await shown(a.page, '다시 로그인하면 보내져요'), 1);
    await a.page.screenshot({ path: join(artifacts, 'recovery-signed-in-again.png') });
    await a.context.close();
  });

  it("renews 5-second tokens through the page's provider, and the next message is delivered", async () => {
    const productId = await newRoom();
    const a = await shopper(productId, '하린', '&tokenTtl=5');
    await a.page.evaluate(() => {
      window.seenStates = [];
      document.getElementById('chat').client.onState((s) => window.seenStates.push(s));
    });
    const firstToken = await a.page.evaluate(() => JSON.parse(sessionStorage.getItem('groupbuy-demo')).token);
    await waitFor('the server to end the connection when the token expires, and the client to be back', () =>
      a.page.evaluate(() => window.seenStates.includes('reconnecting') && document.getElementById('chat').client.state === 'open'),
    );
    const renewed = await a.page.evaluate(() => JSON.parse(sessionStorage.getItem('groupbuy-demo')).token);
    assert.notEqual(renewed, firstToken, 'the provider minted a new token');
    await send(a.page, '토큰이 바뀌어도 보내져요');
    await waitFor('the message to be stored', async () => (await storedCount(productId, '토큰이 바뀌어도 보내져요')) === 1);
    assert.equal(await shown(a.page, '토큰이 바뀌어도 보내져요'), 1);
    const states = await a.page.evaluate(() => window.seenStates);
    assert.ok(!states.includes('auth-required'), `never asked to sign in again: ${states.join(' → ')}`);
    assert.ok(await a.page.locator('#signin').isHidden(), 'the sign-in form stays hidden');
    await a.page.screenshot({ path: join(artifacts, 'recovery-token-renewed.png') });
    // On a phone the chat sits below the product: the page's hint says nothing about a side.
    await a.page.setViewportSize({ width: 390, height: 844 });
    assert.doesNotMatch(await a.page.locator('.bullets').innerText(), /오른쪽|right/);
    await a.page.screenshot({ path: join(artifacts, 'recovery-phone.png'), fullPage: true });
    await a.context.close();
  });
});
