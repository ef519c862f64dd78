// End to end: the reference server serving the shop page (serve.mjs), Debian's Chromium driven by
// playwright-core, two shoppers in two browser contexts. Screenshots go to ./test-artifacts/.
// Needs the build (`pnpm build` at the repository root): the page loads packages/elements/dist.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@groupbuy/server';
import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';
import { createRoom, serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'test-artifacts');

let dir;
let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'groupbuy-e2e-'));
  ({ server } = await serve({ port: 0, host: '127.0.0.1', databaseUrl: join(dir, 'chat.db'), logger: silentLogger }));
  browser = await chromium.launch(chromiumLaunchOptions);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh shopper: own browser context (own cookies and storage), signed in with `name` on the product page. */
async function shopper(productId, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const dialogs = [];
  const errors = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/?product=${encodeURIComponent(productId)}`);
  await page.fill('#name', name);
  await page.click('#signin button[type="submit"]');
  await page.locator('#signed-in').waitFor();
  // Playwright's CSS engine pierces open shadow roots: these reach inside <groupbuy-chat>.
  await page.locator('groupbuy-chat [role="log"][aria-busy="false"]').waitFor();
  return { page, dialogs, errors };
}

const chat = (page, selector) => page.locator(`groupbuy-chat ${selector}`);

async function send(page, text) {
  await chat(page, 'textarea').fill(text);
  await chat(page, 'textarea').press('Enter');
}

async function newRoom(maxParticipants) {
  const productId = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await createRoom(server.url, {
    productId,
    title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
    maxParticipants,
    expiresAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    hostId: 'demo-seller',
  });
  return productId;
}

describe('shop page with <groupbuy-chat>', { timeout: 120_000 }, () => {
  it('lets two shoppers chat, renders markup as text, and closes the deal for both when it fills', async () => {
    const productId = await newRoom(2);
    const a = await shopper(productId, '민지');
    const b = await shopper(productId, 'Alex');

    // A writes, B reads.
    await send(a.page, '안녕하세요! 같이 공동구매해요 🍊');
    await chat(b.page, '.row.chat .bubble').filter({ hasText: '같이 공동구매해요' }).waitFor();
    await chat(a.page, '.row.own.sent').waitFor();
    // And it is stored: after a reload B gets it from history.
    await b.page.reload();
    await b.page.locator('groupbuy-chat [role="log"][aria-busy="false"]').waitFor();
    await chat(b.page, '.row.chat .bubble').filter({ hasText: '같이 공동구매해요' }).waitFor();

    // Markup in a message is text on the other side: no element, no script.
    const payload = '<img src=x onerror=alert(1)>';
    await send(a.page, payload);
    const xss = chat(b.page, '.row.chat .bubble').filter({ hasText: payload });
    await xss.waitFor();
    assert.equal(await chat(b.page, '.log img').count(), 0);
    assert.equal(await chat(a.page, '.log img').count(), 0);
    assert.deepEqual([...a.dialogs, ...b.dialogs], []);
    await a.page.screenshot({ path: join(artifacts, 'shop-a-chat.png') });
    await b.page.screenshot({ path: join(artifacts, 'shop-b-chat.png') });

    // Both join; the second join fills the deal (max 2) and both see it CLOSED.
    await chat(a.page, '[part~="join-button"]').click();
    await chat(a.page, '[part~="join-button"]').filter({ hasText: '참여 취소' }).waitFor();
    await chat(b.page, '[part~="join-button"]').filter({ hasText: '참여하기' }).click();
    for (const { page } of [a, b]) {
      await chat(page, '[part~="status"]').filter({ hasText: '마감' }).waitFor();
      await chat(page, '.row.system').filter({ hasText: '2명이 모두 모여 공동구매가 마감됐어요' }).waitFor();
      await page.locator('#deal-summary').filter({ hasText: '2/2명' }).waitFor();
      assert.equal(await chat(page, '[role="progressbar"]').getAttribute('aria-valuenow'), '2');
      // Buyers keep chatting after the deal closed.
      assert.equal(await chat(page, 'textarea').isDisabled(), false);
    }
    await send(b.page, '마감됐네요! 배송 기다릴게요');
    await chat(a.page, '.row.chat .bubble').filter({ hasText: '배송 기다릴게요' }).waitFor();
    await a.page.screenshot({ path: join(artifacts, 'shop-a-closed.png') });
    await b.page.screenshot({ path: join(artifacts, 'shop-b-closed.png') });

    assert.deepEqual([...a.errors, ...b.errors], []);
    await a.page.context().close();
    await b.page.context().close();
  });

  it('keeps a watcher out of a closed deal with the reason shown', async () => {
    const productId = await newRoom(2);
    const buyer1 = await shopper(productId, '서준');
    const buyer2 = await shopper(productId, 'Priya');
    const watcher = await shopper(productId, '구경꾼');
    await chat(buyer1.page, '[part~="join-button"]').click();
    await chat(buyer1.page, '[part~="join-button"]').filter({ hasText: '참여 취소' }).waitFor();
    await chat(buyer2.page, '[part~="join-button"]').filter({ hasText: '참여하기' }).click();
    await chat(watcher.page, '[part~="status"]').filter({ hasText: '마감' }).waitFor();
    await chat(watcher.page, '[part~="composer-hint"]').filter({ hasText: '참여자와 판매자만 대화할 수 있어요' }).waitFor();
    assert.equal(await chat(watcher.page, 'textarea').isDisabled(), true);
    assert.equal(await chat(watcher.page, '[part~="join-button"]').count(), 0);
    await watcher.page.screenshot({ path: join(artifacts, 'shop-watcher-closed.png') });
    for (const s of [buyer1, buyer2, watcher]) await s.page.context().close();
  });

  it('serves the demo deal to a visitor who has not signed in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    assert.equal(await page.locator('#signin').isVisible(), true);
    await chat(page, '[part~="composer-hint"]').filter({ hasText: '로그인하면 채팅에 참여할 수 있어요' }).waitFor();
    assert.equal(await chat(page, 'textarea').isDisabled(), true);
    await page.screenshot({ path: join(artifacts, 'shop-signed-out.png') });
    await context.close();
  });
});
