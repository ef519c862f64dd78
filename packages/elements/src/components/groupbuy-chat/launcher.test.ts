import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer, InProcessServerOptions, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { tabbables } from '../../internal/focus-trap.js';
import { PEOPLE, serverUnread, testClient, testServer } from '../../test-support/server.js';

const clients: ChatClient[] = [];
let backend: InProcessServer;

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend.dispose();
  localStorage.clear();
});

function $(el: GroupbuyChat, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** A closed launcher for `user` on a fresh server with a 20-person deal that 12 have joined. */
async function launcher(options: { server?: InProcessServerOptions; user?: TestUser; style?: string } = {}): Promise<GroupbuyChat> {
  backend = testServer(options.server);
  const buyers = Array.from({ length: 12 }, (_, i) => ({ userId: `u-b${i}`, name: `Buyer ${i}` }));
  await backend.addRoom({ productId: 'p-launch', title: '제주 햇귤 5kg 공동구매', maxParticipants: 20, participants: buyers });
  const client = testClient(backend, options.user ?? PEOPLE.minji);
  clients.push(client);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat mode="launcher" product-id="p-launch" lang="ko" .client=${client} style=${options.style ?? ''}></groupbuy-chat>`,
  );
  await waitUntil(() => $(el, '[part="launcher"]'), 'the launcher did not render');
  await waitUntil(() => $(el, '#launcher-progress')?.getAttribute('aria-label') === '12/20명 참여', 'the room did not load');
  return el;
}

/** Minji's unread count as the server has it. */
const unread = (): Promise<number | undefined> => serverUnread(backend, 'p-launch', PEOPLE.minji);

function badge(el: GroupbuyChat): string {
  return text($(el, '[part="launcher-badge"]'));
}

async function press(el: GroupbuyChat, part: string): Promise<void> {
  $(el, `[part="${part}"]`)!.click();
  await el.updateComplete;
}

/** What has focus, looking into the chat's shadow root. */
function focused(el: GroupbuyChat): Element | null {
  return el.shadowRoot!.activeElement ?? document.activeElement;
}

function keydown(target: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('<groupbuy-chat mode="launcher">', () => {
  it('paints only the button while closed: the ring says how many joined, no chat parts', async () => {
    const el = await launcher();
    expect(el.open).to.equal(false);
    const ring = $(el, '[part="launcher-ring"]')!;
    expect(ring.getAttribute('role')).to.equal('img');
    const fill = ring.querySelector('.fill')!;
    expect(fill).to.be.instanceOf(SVGCircleElement);
    expect(fill.getAttribute('stroke-dasharray')).to.equal('60 100');
    expect(fill.getBoundingClientRect().width).to.be.greaterThan(0);
    expect($(el, '[part~="header"], [part~="messages"], [part~="composer"], [part="launcher-panel"]')).to.equal(null);
    expect($(el, '[part="launcher-badge"]')).to.equal(null);
    const button = $(el, '[part="launcher"]')!;
    expect(button.getAttribute('aria-label')).to.equal('채팅 열기');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    // The element itself takes no room in the page.
    expect(getComputedStyle(el).display).to.equal('contents');
    await expect(el).to.be.accessible();
  });

  it('counts messages from others while closed, and opening marks them read on the server', async () => {
    const el = await launcher();
    await backend.post('p-launch', { sender: PEOPLE.alex, content: '배송은 언제인가요?' });
    await backend.post('p-launch', { sender: PEOPLE.seller, content: '금요일에 출발해요.' });
    await waitUntil(() => badge(el) === '2', 'the badge did not count two');
    expect(text($(el, '#launcher-unread'))).to.equal('읽지 않은 메시지 2개');
    expect($(el, '#launcher-unread')!.getAttribute('aria-live')).to.equal('polite');
    expect(await unread()).to.equal(2);

    const opened = oneEvent(el, 'groupbuy-open');
    await press(el, 'launcher');
    await opened;
    expect(el.hasAttribute('open')).to.equal(true);
    await waitUntil(() => text($(el, '.log')).includes('금요일에 출발해요.'), 'the messages did not show');
    expect($(el, '[part="launcher-badge"]')).to.equal(null);
    await waitUntil(async () => (await unread()) === 0, 'the read position did not move');

    // Closed again, new messages count from zero.
    await press(el, 'launcher-close');
    await backend.post('p-launch', { sender: PEOPLE.alex, content: '감사합니다!' });
    await waitUntil(() => badge(el) === '1', 'the badge did not count the next one');
    expect(await unread()).to.equal(1);
  });

  it('says 99+ above 99 unread messages', async () => {
    const el = await launcher({ server: { rateLimit: false } });
    for (let i = 0; i < 100; i++) await backend.post('p-launch', { sender: PEOPLE.alex, content: `msg ${i}` });
    await waitUntil(() => badge(el) === '99+', `the badge says "${badge(el)}"`);
    expect(text($(el, '#launcher-unread'))).to.equal('읽지 않은 메시지 100개');
  });

  it('keeps the connection and its subscription between close and open', async () => {
    const el = await launcher();
    expect(backend.connectionCount).to.equal(1);
    await press(el, 'launcher');
    await waitUntil(() => $(el, '.log .placeholder.empty, .log .row'), 'the chat did not load');
    await press(el, 'launcher-close');
    await press(el, 'launcher');
    await press(el, 'launcher-close');
    // Still the first connection, still subscribed: a message while closed arrives live.
    expect(backend.connectionCount).to.equal(1);
    await backend.post('p-launch', { sender: PEOPLE.alex, content: 'still there?' });
    await waitUntil(() => badge(el) === '1', 'the message did not arrive while closed');
    await press(el, 'launcher');
    await waitUntil(() => text($(el, '.log')).includes('still there?'));
    expect(backend.connectionCount).to.equal(1);
  });

  it('opens a dialog with focus inside; Escape closes it and gives focus back to the launcher', async () => {
    const el = await launcher();
    $(el, '[part="launcher"]')!.focus();
    await press(el, 'launcher');
    const panel = $(el, '[part="launcher-panel"]')!;
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.getAttribute('aria-modal')).to.equal('true');
    expect(panel.getAttribute('aria-label')).to.equal('제주 햇귤 5kg 공동구매');
    expect($(el, '[part="launcher"]')!.getAttribute('aria-expanded')).to.equal('true');
    await waitUntil(() => $(el, '.launcher-panel textarea:not([disabled])'), 'the composer did not enable');
    expect(panel.contains(focused(el))).to.equal(true);
    await expect(el).to.be.accessible();

    const closed = oneEvent(el, 'groupbuy-close');
    keydown($(el, 'textarea')!, 'Escape');
    await closed;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
    expect($(el, '[part="launcher-panel"]')).to.equal(null);
    expect(focused(el)).to.equal($(el, '[part="launcher"]'));
  });

  it('keeps Tab inside the open panel, both ways', async () => {
    const el = await launcher();
    el.open = true;
    await el.updateComplete;
    await waitUntil(() => $(el, '.launcher-panel textarea:not([disabled])'), 'the composer did not enable');
    const panel = $(el, '[part="launcher-panel"]')!;
    const items = tabbables(panel);
    expect(items.length).to.be.greaterThan(3);
    expect(items[0]).to.equal($(el, '[part="launcher-close"]'));
    const first = items[0]!;
    const last = items[items.length - 1]!;

    last.focus();
    expect(keydown(last, 'Tab').defaultPrevented).to.equal(true);
    expect(focused(el)).to.equal(first);
    expect(keydown(first, 'Tab', { shiftKey: true }).defaultPrevented).to.equal(true);
    expect(focused(el)).to.equal(last);
    // In the middle, Tab is the browser's own.
    const middle = items[1]!;
    middle.focus();
    expect(keydown(middle, 'Tab').defaultPrevented).to.equal(false);
  });

  it('sits where the page puts it, left or right', async () => {
    const el = await launcher({
      style: '--groupbuy-launcher-left: 24px; --groupbuy-launcher-bottom: 30px; --groupbuy-launcher-size: 64px',
    });
    const rect = $(el, '[part="launcher"]')!.getBoundingClientRect();
    expect(rect.left).to.equal(24);
    expect(rect.width).to.equal(64);
    expect(Math.round(innerHeight - rect.bottom)).to.equal(30);
    el.style.removeProperty('--groupbuy-launcher-left');
    await el.updateComplete;
    expect(Math.round(innerWidth - $(el, '[part="launcher"]')!.getBoundingClientRect().right)).to.equal(20);
    // The open panel is above the button, in its corner, on a wide screen.
    el.open = true;
    await el.updateComplete;
    const panel = $(el, '[part="launcher-panel"]')!.getBoundingClientRect();
    expect(panel.width).to.equal(380);
    expect(Math.round(innerWidth - panel.right)).to.equal(20);
    expect(panel.bottom).to.be.lessThan($(el, '[part="launcher"]')!.getBoundingClientRect().top);
  });

  it('stays a plain card in panel mode', async () => {
    backend = testServer();
    await backend.addRoom({ productId: 'p-panel', title: 'Panel', maxParticipants: 10 });
    const client = testClient(backend, PEOPLE.minji);
    clients.push(client);
    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id="p-panel" lang="en" .client=${client}></groupbuy-chat>`);
    await waitUntil(() => $(el, '.log .placeholder.empty'), 'the chat did not load');
    expect(el.mode).to.equal('panel');
    expect($(el, '[part="launcher"]')).to.equal(null);
    expect(getComputedStyle(el).display).to.equal('flex');
  });
});
