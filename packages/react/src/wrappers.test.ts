// The wrapped elements in Debian's Chromium (a real DOM: custom elements, shadow roots, Lit), against the
// real server CLI. The page (test-support/wrappers-page.tsx) is bundled by esbuild with this project's React
// and served from an ephemeral port the chat server allows as an origin.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs module of the repository's scripts, without types
import { chromiumLaunchOptions } from '../../../scripts/chromium.mjs';
import type { PageConfig, PageWindow } from './test-support/wrappers-page.js';
import { createRoom, devToken, ServerProcess, waitFor } from './test-support/server.js';

const server = new ServerProcess();
let pageServer: Server;
let pageOrigin = '';
let bundle = '';
let browser: Browser;

beforeAll(async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./test-support/wrappers-page.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    // This project's React: the same version the hook tests of this run use.
    alias: { react: reactDir('GROUPBUY_REACT_DIR'), 'react-dom': reactDir('GROUPBUY_REACT_DOM_DIR') },
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]?.text ?? '';
  pageServer = createServer((req, res) => {
    if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><body><div id="root"></div></body></html>');
    }
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  await server.start(['--allowed-origins', pageOrigin]);
  browser = await chromium.launch(chromiumLaunchOptions as Parameters<typeof chromium.launch>[0]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await server.dispose();
});

function reactDir(name: string): string {
  const dir = process.env[name];
  if (!dir) throw new Error(`${name} is not set (vitest.config.ts sets it per React version)`);
  return dir;
}

/** A fresh page showing `productId` to `userId`. */
async function open(productId: string, userId: string): Promise<Page> {
  const page = await browser.newPage();
  const config: PageConfig = { chatUrl: server.url, token: await devToken(server.url, userId, { name: `Shopper ${userId}` }), productId };
  await page.goto(`${pageOrigin}/`);
  await page.evaluate((c) => {
    (window as unknown as PageWindow).__config = c;
  }, config);
  await page.addScriptTag({ url: '/page.js', type: 'module' });
  return page;
}

/** What the page logged under `name`, in order. */
async function logged(page: Page, name: string): Promise<unknown[]> {
  const log = await page.evaluate(() => (window as unknown as PageWindow).__log);
  return log.filter(([n]) => n === name).map(([, detail]) => detail);
}

describe('GroupbuyChat and ParticipantList (React wrappers)', () => {
  it('hand every prop to the element, as properties, with ref to the element', async () => {
    const { productId } = await createRoom(server.url);
    const page = await open(productId, 'props');
    await waitFor('the chat rendered', () => page.evaluate(() => Boolean((window as unknown as PageWindow).__chat?.shadowRoot)));
    const seen = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      const el = w.__chat;
      return {
        upgraded: el instanceof (customElements.get('groupbuy-chat') as CustomElementConstructor),
        listUpgraded:
          document.querySelector('participant-list') instanceof (customElements.get('participant-list') as CustomElementConstructor),
        productId: el?.productId,
        sameClient: el?.client === w.__client,
        theme: el?.getAttribute('theme'),
        className: el?.className,
        reactMajor: w.__reactVersion.split('.')[0],
      };
    });
    const reactMajor = process.env['GROUPBUY_REACT_MAJOR'];
    expect(seen).toEqual({
      upgraded: true,
      listUpgraded: true,
      productId,
      sameClient: true,
      theme: 'dark',
      className: 'the-chat',
      reactMajor,
    });
    await page.evaluate(() => (window as unknown as PageWindow).__set({ theme: 'light' }));
    await waitFor('the new theme', () => page.evaluate(() => (window as unknown as PageWindow).__chat?.getAttribute('theme') === 'light'));
    await page.close();
  });

  it('call the onGroupbuy… props with the typed events: room change, join, send, leave', async () => {
    const { productId } = await createRoom(server.url);
    const page = await open(productId, 'events');
    await waitFor('room-change', async () => (await logged(page, 'room-change')).length > 0);
    expect((await logged(page, 'room-change'))[0]).toEqual({ productId, participantCount: 0 });

    await page.locator('groupbuy-chat [part~="join-button"]').click();
    await waitFor('join', async () => (await logged(page, 'join')).length === 1);
    expect(await logged(page, 'join')).toEqual([{ participantCount: 1 }]);
    // The list next to it is the same room on the same client: it shows the new buyer.
    await waitFor('the buyer listed', async () => (await page.locator('participant-list [part~="participant"]').count()) === 1);
    expect(await page.locator('participant-list [part~="name"]').first().textContent()).toBe('Shopper events');

    await page.locator('groupbuy-chat textarea').fill('From React, with love');
    await page.locator('groupbuy-chat [part~="send-button"]').click();
    await waitFor('send', async () => (await logged(page, 'send')).length === 1);
    expect(await logged(page, 'send')).toEqual([{ content: 'From React, with love', status: 'pending' }]);

    await page.locator('groupbuy-chat [part~="join-button"]').click();
    await waitFor('leave', async () => (await logged(page, 'leave')).length === 1);
    expect(await logged(page, 'leave')).toEqual([{ participantCount: 0 }]);
    await page.close();
  });

  it('call onGroupbuyError when the room cannot be shown, after a productId change', async () => {
    const { productId } = await createRoom(server.url);
    const page = await open(productId, 'errors');
    await waitFor('room-change', async () => (await logged(page, 'room-change')).length > 0);
    await page.evaluate(() => (window as unknown as PageWindow).__set({ productId: 'no-such-product' }));
    await waitFor('error', async () => (await logged(page, 'error')).length > 0);
    expect((await logged(page, 'error'))[0]).toEqual({ code: 'ROOM_NOT_FOUND' });
    await page.close();
  });
});
