import { fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient, RoomSession } from '@groupbuy/sdk';
import type { InProcessServer, RoomSeed, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { PEOPLE, testClient, testServer } from '../../test-support/server.js';

/**
 * What the Chromium tests of issue 11's widget parts share (moderation-menu, pinned-notice, address-form):
 * widgets and bare SDK sessions on one in-process server, closed after each test by {@link closeAll}.
 */
const clients: ChatClient[] = [];

/**
 * A fresh in-process server per test holding `productId`, the seller's deal '제주 햇귤 5kg' with `seed`
 * over it (buyers, history), and everything closed and forgotten after the test.
 */
export function roomPerTest(productId: string, seed: Partial<RoomSeed> = {}): { readonly server: InProcessServer } {
  let server: InProcessServer | undefined;
  beforeEach(async () => {
    server = testServer({ rateLimit: false });
    await server.addRoom({ productId, title: '제주 햇귤 5kg', maxParticipants: 10, hostId: PEOPLE.seller.userId, ...seed });
  });
  afterEach(async () => {
    closeAll();
    await server?.dispose();
    server = undefined;
    localStorage.clear();
    sessionStorage.clear();
  });
  return {
    get server(): InProcessServer {
      if (!server) throw new Error('roomPerTest: the server exists only while a test runs');
      return server;
    },
  };
}

/** Closes every client the kit opened. */
export function closeAll(): void {
  for (const c of clients.splice(0)) c.close();
}

/** A `<groupbuy-chat>` for `user` on `productId`, once its list has loaded. */
export async function openAs(server: InProcessServer, productId: string, user: TestUser, lang = 'en'): Promise<GroupbuyChat> {
  const client = testClient(server, user);
  clients.push(client);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat product-id=${productId} lang=${lang} .client=${client} style="height: 560px"></groupbuy-chat>`,
  );
  await waitUntil(() => q(el, '.log .row, .log .placeholder.empty'), 'the chat did not load');
  return el;
}

/** A bare SDK session for `user` (another shopper's browser, or the seller's back office), loaded. */
export async function sessionAs(server: InProcessServer, productId: string, user: TestUser): Promise<RoomSession> {
  const client = testClient(server, user);
  clients.push(client);
  const session = client.room(productId);
  await session.ready();
  return session;
}

/** The first element under the widget's shadow root matching `selector`. */
export function q(el: GroupbuyChat, selector: string): HTMLElement | null {
  return el.renderRoot.querySelector<HTMLElement>(selector);
}

/** Every element under the widget's shadow root matching `selector`. */
export function qa(el: GroupbuyChat, selector: string): HTMLElement[] {
  return [...el.renderRoot.querySelectorAll<HTMLElement>(selector)];
}

/** An element's text, whitespace collapsed. */
export function textOf(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The chat row whose bubble (or notice) contains `content`. */
export function rowWith(el: GroupbuyChat, content: string): HTMLElement | undefined {
  return qa(el, '.row').find((r) => textOf(r).includes(content));
}

/** Types `value` into the composer and presses Enter. */
export async function send(el: GroupbuyChat, value: string): Promise<void> {
  const input = el.renderRoot.querySelector('textarea');
  if (!input) throw new Error('the composer is not there');
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await el.updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, composed: true }));
  await el.updateComplete;
}

/** A key press on `target` (the menu's keyboard handling). */
export function press(target: HTMLElement, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true }));
}
