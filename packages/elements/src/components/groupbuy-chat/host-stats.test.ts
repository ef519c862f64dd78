import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient, RoomSession } from '@groupbuy/sdk';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { formatsFor } from '../../internal/i18n.js';
import { PEOPLE, testClient, testServer } from '../../test-support/server.js';

// The seller's stats view (issue 12) in Chromium, on the real core in this page: shoppers view, invite,
// join, chat and leave through real SDK sessions while the server clock is moved on by whole minutes; the
// seller's widget then shows the server's funnel, draws one sparkline point per change, refreshes, closes
// on Escape, and reports a failed request in the error banner.

const PRODUCT = 'p-stats';
const MINUTE = 60_000;
const clients: ChatClient[] = [];
let backend: InProcessServer;

beforeEach(async () => {
  backend = testServer();
  await backend.addRoom({
    productId: PRODUCT,
    title: '제주 햇귤 5kg',
    maxParticipants: 3,
    hostId: PEOPLE.seller.userId,
    participants: [],
    createdAt: backend.now(),
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend.dispose();
  localStorage.clear();
});

async function shopper(user: TestUser): Promise<RoomSession> {
  const client = testClient(backend, user);
  clients.push(client);
  const session = client.room(PRODUCT);
  await session.ready();
  return session;
}

async function sent(session: RoomSession, content: string): Promise<void> {
  const pending = session.send(content);
  await waitUntil(() => session.messages.some((m) => m.clientMsgId === pending.clientMsgId && m.status === 'sent'), 'not sent');
}

/**
 * Three shoppers open the chat; a minute later Alex joins through Minji's link, a minute after that 서준
 * does too, writes twice and leaves, and a minute later Minji writes once and joins herself.
 */
async function playScenario(): Promise<{ minji: RoomSession }> {
  const minji = await shopper(PEOPLE.minji);
  const alex = await shopper(PEOPLE.alex);
  const seojun = await shopper(PEOPLE.seojun);
  const { code } = await minji.invite();
  await backend.advance(MINUTE);
  await alex.join({ ref: code });
  await backend.advance(MINUTE);
  await seojun.join({ ref: code });
  await sent(seojun, '몇 개 들어 있나요?');
  await sent(seojun, '생각해 볼게요');
  await seojun.leave();
  await backend.advance(MINUTE);
  await sent(minji, '저도 참여할게요');
  await minji.join();
  return { minji };
}

async function openAsSeller(lang = 'en'): Promise<GroupbuyChat> {
  const client = testClient(backend, PEOPLE.seller);
  clients.push(client);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat product-id=${PRODUCT} lang=${lang} .client=${client} style="height: 640px"></groupbuy-chat>`,
  );
  await waitUntil(() => $(el, '[part~="stats-button"]'), 'no stats button', { timeout: 5000 });
  return el;
}

const $ = (el: GroupbuyChat, selector: string): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (node: Element | null): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const stat = (el: GroupbuyChat, key: string): string => text($(el, `[data-stat="${key}"]`));
const sparkPoints = (el: GroupbuyChat): string[] => ($(el, '.spark-line')?.getAttribute('points') ?? '').split(' ').filter(Boolean);

async function openStats(el: GroupbuyChat): Promise<void> {
  $(el, '[part~="stats-button"]')!.click();
  await waitUntil(() => $(el, '[data-stat="joiners"]'), 'the stats did not show', { timeout: 5000 });
}

describe('host stats view', () => {
  it('shows the funnel of a scripted deal and one sparkline point per change', async () => {
    await playScenario();
    const el = await openAsSeller();
    await openStats(el);
    const f = formatsFor('en');
    // Minji, Alex, 서준 and the seller opened the chat; 서준 and Minji wrote; three joins, one leave.
    expect(stat(el, 'uniqueViewers')).to.equal('4');
    expect(stat(el, 'chatters')).to.equal('2');
    expect(stat(el, 'joiners')).to.equal('3');
    expect(stat(el, 'leavers')).to.equal('1');
    // Three messages in the room's first three minutes.
    expect(stat(el, 'messagesPerMinute')).to.equal('1');
    // Views at 0, joins at 1, 2 and 3 minutes: the median is 2 minutes.
    expect(stat(el, 'medianViewToJoinMs')).to.equal(f.duration(2 * MINUTE));
    expect(stat(el, 'timeToFillMs')).to.equal('—');
    expect([...el.shadowRoot!.querySelectorAll('[part~="stats-inviters"] li')].map(text)).to.deep.equal(['민지 2 joins']);
    // 1, 2, 1, 2 buyers.
    expect(sparkPoints(el)).to.have.length(4);
    const spark = $(el, '[part~="sparkline"]')!;
    expect(spark.getAttribute('role')).to.equal('img');
    expect(spark.getAttribute('aria-label')).to.equal('Participants over time: from 1 to 2, at most 2 (cap 3)');
    expect($(el, '[part~="stats-button"]')!.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('refresh reads the numbers again: the join that fills the deal gives its time to fill', async () => {
    await playScenario();
    const el = await openAsSeller('ko');
    await openStats(el);
    expect(stat(el, 'timeToFillMs')).to.equal('—');
    await backend.advance(MINUTE);
    await (await shopper(PEOPLE.priya)).join();
    $(el, '[part~="stats-refresh"]')!.click();
    await waitUntil(() => stat(el, 'joiners') === '4', 'the refresh did not show the fourth join', { timeout: 5000 });
    expect(stat(el, 'timeToFillMs')).to.equal(formatsFor('ko').duration(4 * MINUTE));
    expect(sparkPoints(el)).to.have.length(5);
    expect(text($(el, '#host-stats-title'))).to.equal('공동구매 통계');
  });

  it('Escape closes the view and gives focus back to the Stats button', async () => {
    const el = await openAsSeller();
    await openStats(el);
    const panel = $(el, '[part~="stats-panel"]')!;
    expect(el.shadowRoot!.activeElement).to.equal(panel);
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => $(el, '[part~="stats-panel"]') === null, 'Escape did not close the view');
    await waitUntil(() => el.shadowRoot!.activeElement === $(el, '[part~="stats-button"]'), 'focus did not return');
    expect($(el, '[part~="stats-button"]')!.getAttribute('aria-expanded')).to.equal('false');
  });

  it('a failed request shows in the view and in the error banner', async () => {
    const el = await openAsSeller();
    backend.disconnect({ rest: true });
    $(el, '[part~="stats-button"]')!.click();
    await waitUntil(() => $(el, '[part~="stats-error"]'), 'no error in the view', { timeout: 5000 });
    expect(text($(el, '[part~="error-banner"]'))).to.equal('The chat server cannot be reached.');
    backend.reconnect();
    $(el, '[part~="stats-refresh"]')!.click();
    await waitUntil(() => $(el, '[data-stat="joiners"]'), 'the retry did not load', { timeout: 5000 });
  });

  it('is the seller’s alone: a shopper has no Stats button, and the server refuses them', async () => {
    const client = testClient(backend, PEOPLE.minji);
    clients.push(client);
    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id=${PRODUCT} lang="en" .client=${client}></groupbuy-chat>`);
    await waitUntil(() => $(el, '[part~="invite-button"]'), 'the chat did not load');
    expect($(el, '[part~="stats-button"]')).to.equal(null);
    const session = client.room(PRODUCT);
    const refused = await session.stats().then(
      () => null,
      (err: unknown) => (err as { code?: string }).code,
    );
    session.dispose();
    expect(refused).to.equal('FORBIDDEN');
  });
});
