import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer, RoomSeed, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import type { GroupbuySendEvent } from '../../events/groupbuy-send-event.js';
import type { GroupbuyAuthRequiredEvent } from '../../events/groupbuy-auth-required-event.js';
import { PEOPLE, serverUnread, testClient, testServer } from '../../test-support/server.js';

const HOUR = 3_600_000;
const clients: ChatClient[] = [];
const backends: InProcessServer[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of backends.splice(0)) await b.dispose();
  document.documentElement.removeAttribute('lang');
  // The SDK keeps unsent messages per user and room across reloads: one test's must not reach the next.
  localStorage.clear();
});

function $(el: GroupbuyChat, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function $$(el: GroupbuyChat, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function room(overrides: Partial<RoomSeed> = {}): RoomSeed {
  return {
    productId: 'p-1',
    title: '제주 햇귤 5kg 공동구매',
    maxParticipants: 10,
    hostId: PEOPLE.seller.userId,
    participants: [PEOPLE.alex, PEOPLE.seojun, PEOPLE.priya],
    ...overrides,
  };
}

interface Opened {
  el: GroupbuyChat;
  backend: InProcessServer;
}

async function openChat(
  init: RoomSeed = room(),
  user: TestUser = PEOPLE.minji,
  lang = 'en',
  backend: InProcessServer = testServer(),
): Promise<Opened> {
  if (!backends.includes(backend)) backends.push(backend);
  if (!(await backend.getRoom(init.productId))) await backend.addRoom(init);
  const client = testClient(backend, user);
  clients.push(client);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat product-id=${init.productId} lang=${lang} .client=${client} style="height: 560px"></groupbuy-chat>`,
  );
  await waitUntil(() => $(el, '.log .row, .log .placeholder.empty'), 'the chat did not load');
  return { el, backend };
}

async function typeAndPress(el: GroupbuyChat, value: string, init: KeyboardEventInit = {}, keyCode?: number): Promise<KeyboardEvent> {
  const input = $(el, 'textarea') as HTMLTextAreaElement;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await el.updateComplete;
  const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, composed: true, ...init });
  if (keyCode !== undefined) Object.defineProperty(event, 'keyCode', { get: () => keyCode });
  input.dispatchEvent(event);
  await el.updateComplete;
  return event;
}

function chatBubbles(el: GroupbuyChat): string[] {
  return $$(el, '.row.chat .bubble').map((b) => text(b).replace(/^[^:]*: /, ''));
}

describe('<groupbuy-chat>', () => {
  it('shows the title, status, progress and what is missing from the room', async () => {
    const { el } = await openChat(room({ participants: [PEOPLE.alex, PEOPLE.seojun, PEOPLE.priya, PEOPLE.seller] }));
    expect(text($(el, '[part~="title"]'))).to.equal('제주 햇귤 5kg 공동구매');
    expect(text($(el, '[part~="status"]'))).to.equal('Open');
    const bar = $(el, '[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).to.equal('4');
    expect(bar.getAttribute('aria-valuemax')).to.equal('10');
    expect(text($(el, '[part~="progress-text"]'))).to.equal('4/10 joined · 6 more to close');
    expect(text($(el, '[part~="join-button"]'))).to.equal('Join deal');
  });

  it('is accessible', async () => {
    const { el, backend } = await openChat();
    await backend.post('p-1', { sender: PEOPLE.alex, content: 'Hello! When does it ship?' });
    await backend.post('p-1', { sender: null, content: '배송은 금요일에 시작합니다.' });
    await backend.join('p-1', PEOPLE.seojun);
    await waitUntil(() => $$(el, '.row').length >= 2);
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark theme', async () => {
    const { el, backend } = await openChat();
    el.theme = 'dark';
    await backend.post('p-1', { sender: PEOPLE.alex, content: 'Dark mode check' });
    await waitUntil(() => chatBubbles(el).includes('Dark mode check'));
    // The buttons fade to their dark colours (0.15 s) while their text switches at once: judge the contrast
    // the reader sees once the fade is over, not a frame in the middle of it.
    await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(el).to.be.accessible();
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(22, 24, 29)');
  });

  it('renders markup in a message as text', async () => {
    const { el, backend } = await openChat();
    const payload = '<img src=x onerror="window.__xss = 1"><b>bold</b>';
    await backend.post('p-1', { sender: PEOPLE.alex, content: payload });
    await waitUntil(() => chatBubbles(el).includes(payload), 'the payload was not shown as text');
    expect(el.shadowRoot!.querySelector('img, .bubble b')).to.equal(null);
    expect((window as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('renders SYSTEM messages from event and room in the reader language', async () => {
    const { el, backend } = await openChat(room(), PEOPLE.minji, 'ko');
    await backend.join('p-1', { userId: 'u-hana', name: '하나' });
    // Seeded buyers joined for real, so their SYSTEM JOINED rows come first: the new one is the last.
    await waitUntil(() => text($$(el, '.row.system').at(-1) ?? null) === '하나님이 참여했어요 (4/10)');
    expect(text($(el, '[part~="status"]'))).to.equal('모집 중');
  });

  it('sends on Enter and keeps Shift+Enter for a new line', async () => {
    const { el } = await openChat();
    const shift = await typeAndPress(el, 'first line', { shiftKey: true });
    expect(shift.defaultPrevented).to.equal(false);
    const sent = oneEvent(el, 'groupbuy-send');
    const enter = await typeAndPress(el, 'first line\nsecond line');
    expect(enter.defaultPrevented).to.equal(true);
    expect(((await sent) as unknown as GroupbuySendEvent).message.content).to.equal('first line\nsecond line');
    await waitUntil(() => $(el, '.row.own.sent'));
    expect($(el, '.row.own .bubble')!.textContent).to.contain('first line\nsecond line');
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('');
  });

  it('never sends on Enter during IME composition (Hangul)', async () => {
    const { el } = await openChat(room(), PEOPLE.minji, 'ko');
    const composing = await typeAndPress(el, '안녕하세', { isComposing: true });
    const safari = await typeAndPress(el, '안녕하세요', {}, 229);
    expect(composing.defaultPrevented).to.equal(false);
    expect(safari.defaultPrevented).to.equal(false);
    expect($$(el, '.row.own')).to.have.length(0);
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('안녕하세요');
    await typeAndPress(el, '안녕하세요');
    await waitUntil(() => $$(el, '.row.own').length === 1);
  });

  it('joins and leaves the deal with the header button', async () => {
    const { el } = await openChat();
    const joined = oneEvent(el, 'groupbuy-join');
    $(el, '[part~="join-button"]')!.click();
    await joined;
    await waitUntil(() => text($(el, '[part~="join-button"]')) === 'Leave');
    expect($(el, '[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('4');
    $(el, '[part~="join-button"]')!.click();
    await waitUntil(() => text($(el, '[part~="join-button"]')) === 'Join deal');
    expect($(el, '[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('3');
  });

  it('closes when the cap is reached; buyers keep chatting, a watcher cannot', async () => {
    const backend = testServer();
    const init = room({ maxParticipants: 3, participants: [PEOPLE.alex] });
    const buyer = await openChat(init, PEOPLE.minji, 'en', backend);
    const watcher = await openChat(init, PEOPLE.watcher, 'en', backend);
    $(buyer.el, '[part~="join-button"]')!.click();
    await waitUntil(() => text($(buyer.el, '[part~="join-button"]')) === 'Leave');
    await backend.join('p-1', PEOPLE.seojun);
    for (const el of [buyer.el, watcher.el]) {
      await waitUntil(() => text($(el, '[part~="status"]')) === 'Closed', 'both readers see CLOSED');
    }
    expect(text($$(buyer.el, '.row.system').at(-1) ?? null)).to.equal('All 3 spots are taken — the deal is on! 🎉');
    expect(($(buyer.el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(false);
    expect(text($(buyer.el, '.joined-tag'))).to.equal('Joined');
    expect(($(watcher.el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(true);
    expect(text($(watcher.el, '[part~="composer-hint"]'))).to.equal('This deal has closed. Only buyers and the seller can chat.');
    expect($(watcher.el, '[part~="join-button"]')).to.equal(null);
  });

  it('is read-only with a reason when the deal was cancelled', async () => {
    const { el, backend } = await openChat(room(), PEOPLE.minji, 'ko');
    await backend.setStatus('p-1', 'CANCELLED');
    await waitUntil(() => text($(el, '[part~="status"]')) === '취소됨');
    expect(($(el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(true);
    expect(text($(el, '[part~="composer-hint"]'))).to.equal('취소된 공동구매예요. 채팅은 읽기 전용입니다.');
    expect(text($$(el, '.row.system').at(-1) ?? null)).to.equal('판매자가 공동구매를 취소했어요');
  });

  it('shows a pending message until it is stored', async () => {
    const { el, backend } = await openChat();
    backend.holdSends();
    await typeAndPress(el, 'hold on');
    await waitUntil(() => $(el, '.row.own.pending'));
    expect($(el, '.row.own.pending .time')).to.equal(null);
    backend.releaseSends();
    await waitUntil(() => $(el, '.row.own.sent .time'));
    expect($$(el, '.row.own')).to.have.length(1);
  });

  it('offers Retry and Discard on a failed message', async () => {
    const { el, backend } = await openChat();
    backend.failSends({ code: 'INTERNAL', message: 'boom' });
    await typeAndPress(el, 'try me');
    await waitUntil(() => $(el, '.row.own.failed'));
    expect(text($(el, '.failed-row'))).to.contain('Not sent');
    backend.failSends(null);
    $(el, '[part~="retry-button"]')!.click();
    await waitUntil(() => $(el, '.row.own.sent'));
    backend.failSends({ code: 'INTERNAL', message: 'boom' });
    await typeAndPress(el, 'drop me');
    await waitUntil(() => $(el, '.row.own.failed'));
    $(el, '[part~="discard-button"]')!.click();
    await waitUntil(() => !$(el, '.row.own.failed'));
    expect(chatBubbles(el)).to.deep.equal(['try me']);
  });

  it('shows the rate limit with the time to wait', async () => {
    const { el } = await openChat(room(), PEOPLE.minji, 'en', testServer({ rateLimit: { capacity: 2, refillMs: 60_000 } }));
    for (const line of ['one', 'two', 'three']) {
      await typeAndPress(el, line);
      await waitUntil(() => $$(el, '.row.own').length === ['one', 'two', 'three'].indexOf(line) + 1);
      await waitUntil(() => !$(el, '.row.own.pending'));
    }
    await waitUntil(() => $(el, '.hint.error'));
    expect(text($(el, '[part~="composer-hint"]'))).to.match(/^You're sending messages too fast\. Try again in \d+ s\.$/);
    expect(($(el, '[part~="send-button"]') as HTMLButtonElement).disabled).to.equal(true);
    // Screen readers hear it once, from a status region that does not tick with the visible countdown.
    const status = $(el, '[role="status"][aria-live="polite"].sr-only');
    expect(text(status)).to.match(/^You're sending messages too fast\. Try again in \d+ s\.$/);
    expect($(el, '[part~="composer-hint"]')!.hasAttribute('aria-live')).to.equal(false);
  });

  it('loads the latest 50 first and older ones at the top, keeping the scroll position', async () => {
    const messages = Array.from({ length: 200 }, (_, i) => ({ sender: i % 2 ? PEOPLE.alex : PEOPLE.seojun, content: `message ${i + 1}` }));
    const { el } = await openChat(room({ messages }));
    expect($$(el, '.row.chat')).to.have.length(50);
    const log = $(el, '.log')!;
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);
    const firstBubble = $$(el, '.row.chat')[0]!;
    expect(text(firstBubble)).to.contain('message 151');
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await waitUntil(() => $$(el, '.row.chat').length === 100, 'older messages did not load');
    await el.updateComplete;
    // The message that was at the top is still where the reader saw it.
    const offset = firstBubble.getBoundingClientRect().top - log.getBoundingClientRect().top;
    expect(Math.abs(offset - 36)).to.be.below(60);
    expect(log.scrollTop).to.be.above(500);
  });

  it('offers a jump to new messages while scrolled up', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({ sender: PEOPLE.alex, content: `line ${i + 1}` }));
    const { el, backend } = await openChat(room({ messages }));
    const log = $(el, '.log')!;
    log.scrollTop = 200;
    log.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    await backend.post('p-1', { sender: PEOPLE.priya, content: 'psst, new one' });
    await waitUntil(() => $(el, '[part~="jump-button"]'), 'no jump button');
    expect(text($(el, '[part~="jump-button"]'))).to.equal('1 new message');
    expect(log.scrollTop).to.equal(200);
    $(el, '[part~="jump-button"]')!.click();
    await waitUntil(() => !$(el, '[part~="jump-button"]'));
    await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'did not scroll to the end');
  });

  it('follows new messages when the reader is at the bottom', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({ sender: PEOPLE.alex, content: `line ${i + 1}` }));
    const { el, backend } = await openChat(room({ messages }));
    await backend.post('p-1', { sender: PEOPLE.priya, content: 'latest' });
    await waitUntil(() => chatBubbles(el).includes('latest'));
    const log = $(el, '.log')!;
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);
    expect($(el, '[part~="jump-button"]')).to.equal(null);
  });

  it('shows a banner while reconnecting and catches up after', async () => {
    const { el, backend } = await openChat();
    backend.disconnect();
    await waitUntil(() => text($(el, '[part~="connection-banner"]')) === 'Connection lost. Reconnecting…');
    await backend.post('p-1', { sender: PEOPLE.alex, content: 'said while you were away' });
    backend.reconnect();
    await waitUntil(() => !$(el, '[part~="connection-banner"]'), 'banner did not go away', { timeout: 5000 });
    await waitUntil(() => chatBubbles(el).includes('said while you were away'));
  });

  it('counts down to the deadline on the server clock', async () => {
    // The server's clock runs two hours ahead of this browser; the deadline is three hours away on it.
    const backend = testServer({ clockSkewMs: 2 * HOUR });
    const { el } = await openChat(room({ expiresAt: backend.now() + 3 * HOUR }), PEOPLE.minji, 'en', backend);
    await waitUntil(() => /left$/.test(text($(el, '[part~="countdown"]'))));
    expect(text($(el, '[part~="countdown"]'))).to.match(/^(2h 59m|3h 0m) left$/);
  });

  it('turns its badge to "ending soon" when the last hour starts, without any other update', async () => {
    const backend = testServer();
    const { el } = await openChat(room({ expiresAt: Date.now() + HOUR + 600 }), PEOPLE.minji, 'en', backend);
    expect(text($(el, '[part~="status"]'))).to.equal('Open');
    await waitUntil(() => text($(el, '[part~="status"]')) === 'Ending soon', 'the badge never turned urgent', { timeout: 5000 });
  });

  it('turns urgent near the deadline and settles when it passes', async () => {
    const backend = testServer();
    const { el } = await openChat(room({ expiresAt: backend.now() + 90_000, minParticipants: 2 }), PEOPLE.minji, 'en', backend);
    expect(text($(el, '[part~="status"]'))).to.equal('Ending soon');
    expect($(el, '[part~="countdown"]')!.classList.contains('urgent')).to.equal(true);
    expect(text($(el, '[part~="countdown"]'))).to.match(/^1m \d+s left$/);
    await backend.advance(90_000);
    await waitUntil(() => text($(el, '[part~="status"]')) === 'Closed');
    expect(text($$(el, '.row.system').at(-1) ?? null)).to.equal('The deal closed with 3 buyers 🎉');
  });

  it('speaks the document language when it has no lang of its own', async () => {
    document.documentElement.lang = 'ko';
    const backend = testServer();
    backends.push(backend);
    await backend.addRoom(room());
    const client = testClient(backend, PEOPLE.minji);
    clients.push(client);
    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id="p-1" .client=${client}></groupbuy-chat>`);
    await waitUntil(() => $(el, '[part~="join-button"]'));
    expect(text($(el, '[part~="join-button"]'))).to.equal('참여하기');
    expect(text($(el, '[part~="progress-text"]'))).to.equal('3/10명 참여 · 7명 더 모이면 마감');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(text($(el, '[part~="join-button"]'))).to.equal('Join deal');
  });

  it('shows its buyers in a panel, the seller marked', async () => {
    const { el, backend } = await openChat(room({ participants: [PEOPLE.alex, PEOPLE.seller] }));
    const toggle = $(el, '[part~="participants-button"]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const list = $(el, 'participant-list')!;
    const buyers = (): Element[] => [...(list.shadowRoot?.querySelectorAll('[part~="participant"]') ?? [])];
    await waitUntil(() => buyers().length === 2);
    await backend.join('p-1', PEOPLE.priya);
    await waitUntil(() => buyers().length === 3, 'the list did not update live');
    const seller = buyers().find((li) => li.textContent?.includes(PEOPLE.seller.name));
    expect(text(seller?.querySelector('.tag') ?? null)).to.equal('Seller');
  });

  // A Korean chat of a room its `viewers` have open, its participant button reading `button`, then its panel open.
  async function openWatched(viewers: TestUser[], button: string) {
    const backend = testServer();
    await backend.addRoom(room({ viewers }));
    const { el } = await openChat(room(), PEOPLE.minji, 'ko', backend);
    const toggle = $(el, '[part~="participants-button"]')!;
    await waitUntil(() => text(toggle) === button, `the button says "${text(toggle)}"`);
    toggle.click();
    await el.updateComplete;
    return { backend, toggle, list: $(el, 'participant-list')! };
  }

  it('counts the people watching beside the buyers, and lists them apart in the panel', async () => {
    // 구경꾼 and the reader watch; Alex has the chat open but is a buyer.
    const { backend, toggle, list } = await openWatched([PEOPLE.watcher, PEOPLE.alex], '참여자 3명 · 구경 2명');
    await waitUntil(() => list.shadowRoot?.querySelectorAll('[part~="watcher"]').length === 2, 'the panel lists no watchers');
    expect(list.shadowRoot!.querySelectorAll('[part~="participant"]')).to.have.length(3);
    expect(text(list.shadowRoot!.querySelector('[part~="watchers-header"]'))).to.equal('구경 중 · 2명');
    await backend.join('p-1', PEOPLE.watcher);
    await waitUntil(() => text(toggle) === '참여자 4명 · 구경 1명', `after the join the button says "${text(toggle)}"`);
  });

  it('counts every watcher of a room larger than the pushed list in the button, and "외 N명" in the panel', async () => {
    const crowd = Array.from({ length: 60 }, (_, i) => ({ userId: `crowd-${i}`, name: `구경 ${i}` }));
    // 60 and the reader watch; the push lists the first 50 of them and counts all 61.
    const { list } = await openWatched(crowd, '참여자 3명 · 구경 61명');
    await waitUntil(() => list.shadowRoot?.querySelector('[part~="watchers-more"]'), 'the panel says no more');
    expect(list.shadowRoot!.querySelectorAll('[part~="watcher"]')).to.have.length(50);
    expect(text(list.shadowRoot!.querySelector('[part~="watchers-more"]'))).to.equal('외 11명');
  });

  it('updates the watcher chip as people open and close the chat, pushed with no viewers poll', async () => {
    const backend = testServer();
    const { el } = await openChat(room(), PEOPLE.minji, 'ko', backend);
    const toggle = $(el, '[part~="participants-button"]')!;
    await waitUntil(() => text(toggle) === '참여자 3명 · 구경 1명', `the button says "${text(toggle)}"`);
    await backend.watch('p-1', PEOPLE.watcher);
    await waitUntil(() => text(toggle) === '참여자 3명 · 구경 2명', `after a watcher came the button says "${text(toggle)}"`);
    backend.unwatch('p-1', PEOPLE.watcher.userId);
    await waitUntil(() => text(toggle) === '참여자 3명 · 구경 1명', `after the watcher left the button says "${text(toggle)}"`);
  });

  it('loads no transport module for a client that was handed in', async () => {
    await openChat();
    const loaded = performance.getEntriesByType('resource').map((e) => e.name);
    expect(loaded.some((n) => /transports\/(stomp|socket-io|ws)\b/.test(n))).to.equal(false);
    expect(loaded.some((n) => /testing\/src\/in-process-transport/.test(n))).to.equal(true);
  });

  it('asks to sign in when it has neither client nor token', async () => {
    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id="p-1" lang="en"></groupbuy-chat>`);
    expect(text($(el, '[part~="title"]'))).to.equal('Group-buy chat');
    expect(text($(el, '.log'))).to.equal('Ask the seller and the other buyers anything about this deal.');
    expect(text($(el, '[part~="composer-hint"]'))).to.equal('Sign in to join the chat.');
    expect(($(el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  describe('sign-in', () => {
    it('asks to sign in again, once, when the server refuses the token and no fresh one comes', async () => {
      const backend = testServer();
      backends.push(backend);
      await backend.addRoom(room());
      // A page that hands in one token and never renews it.
      const stale = await backend.tokenFor(PEOPLE.minji);
      const client = testClient(backend, PEOPLE.minji, { getToken: () => stale });
      clients.push(client);
      const el = await fixture<GroupbuyChat>(
        html`<groupbuy-chat product-id="p-1" lang="en" .client=${client} style="height: 560px"></groupbuy-chat>`,
      );
      await waitUntil(() => $(el, '.log .row, .log .placeholder.empty'));
      const events: GroupbuyAuthRequiredEvent[] = [];
      // Composed and bubbling: the page hears it on document, outside the shadow root.
      const listener = (e: Event): void => void events.push(e as GroupbuyAuthRequiredEvent);
      document.addEventListener('groupbuy-auth-required', listener);
      try {
        backend.expireTokens();
        await waitUntil(() => $(el, '[part~="auth-banner"]'), 'no sign-in-again banner');
        await waitUntil(() => events.length === 1, 'no groupbuy-auth-required event');
        expect(events[0]!.detail.productId).to.equal('p-1');
        expect(events[0]!.detail.reason).to.be.a('string').and.not.equal('');
        expect(events[0]!.composed).to.equal(true);
        expect(text($(el, '[part~="auth-banner"]'))).to.contain('Your sign-in has expired');
        expect($(el, '[part~="connection-banner"]')).to.equal(null);
        expect(($(el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(true);
        expect(($(el, '[part~="join-button"]') as HTMLButtonElement).disabled).to.equal(true);
        // It stays there: no reconnect loop, no second event.
        await new Promise((r) => setTimeout(r, 400));
        expect(client.state).to.equal('auth-required');
        expect(events).to.have.length(1);
        await expect(el).to.be.accessible();
      } finally {
        document.removeEventListener('groupbuy-auth-required', listener);
      }
    });

    it('asks to sign in again, with nothing to retry, when the token is refused before anything loaded, and loads with the next one', async () => {
      const backend = testServer();
      backends.push(backend);
      await backend.addRoom(room());
      let token = await backend.tokenFor(PEOPLE.minji);
      backend.expireTokens();
      const client = testClient(backend, PEOPLE.minji, { getToken: () => token });
      clients.push(client);
      const el = await fixture<GroupbuyChat>(
        html`<groupbuy-chat product-id="p-1" lang="en" .client=${client} style="height: 560px"></groupbuy-chat>`,
      );
      await waitUntil(() => $(el, '[part~="auth-banner"]'), 'no sign-in-again state');
      expect($$(el, '[part~="auth-banner"]')).to.have.length(1);
      expect(text($(el, '.log'))).to.contain('Your sign-in has expired');
      expect(text($(el, '.log'))).not.to.contain('Please sign in.');
      expect($(el, '.log button')).to.equal(null);
      // The page signs the shopper in again and tells its client.
      token = await backend.tokenFor(PEOPLE.minji);
      client.reconnect();
      // The history: the seeded buyers' SYSTEM JOINED rows.
      await waitUntil(() => $(el, '.log .row'), 'the chat did not load after the new token');
      expect($(el, '[part~="auth-banner"]')).to.equal(null);
    });

    it('renews the token through the provider and carries on', async () => {
      const { el, backend } = await openChat();
      const events: Event[] = [];
      el.addEventListener('groupbuy-auth-required', (e) => events.push(e));
      backend.expireTokens();
      await backend.post('p-1', { sender: PEOPLE.alex, content: 'after the restart' });
      await waitUntil(() => chatBubbles(el).includes('after the restart'), 'did not catch up', { timeout: 5000 });
      await waitUntil(() => !$(el, '[part~="connection-banner"]'));
      await typeAndPress(el, 'still here');
      await waitUntil(() => $(el, '.row.own.sent'));
      expect($(el, '[part~="auth-banner"]')).to.equal(null);
      expect(events).to.have.length(0);
    });
  });

  it('shows the time once per burst of one sender within a minute', async () => {
    const minute = 60_000;
    const t0 = Math.floor((Date.now() - HOUR) / minute) * minute;
    const messages = [
      { sender: PEOPLE.alex, content: 'a1', createdAt: t0 + 1_000 },
      { sender: PEOPLE.alex, content: 'a2', createdAt: t0 + 5_000 },
      { sender: PEOPLE.alex, content: 'a3', createdAt: t0 + 9_000 },
      { sender: PEOPLE.alex, content: 'a4', createdAt: t0 + minute + 1_000 },
      { sender: PEOPLE.seojun, content: 's1', createdAt: t0 + minute + 2_000 },
      { sender: PEOPLE.alex, content: 'a5', createdAt: t0 + minute + 3_000 },
    ];
    const { el } = await openChat(room({ messages }));
    const times = $$(el, '.row.chat').map((row) => [
      text(row.querySelector('.bubble')).replace(/^[^:]*: /, ''),
      row.querySelector('time') !== null,
    ]);
    expect(times).to.deep.equal([
      ['a1', false],
      ['a2', false],
      ['a3', true],
      ['a4', true],
      ['s1', true],
      ['a5', true],
    ]);
  });

  it('gives avatars readable colours that differ between people, light and dark', async () => {
    const people = Array.from({ length: 8 }, (_, i) => ({ userId: `u-${i + 1}`, name: `Buyer ${i + 1}` }));
    const messages = people.map((p) => ({ sender: p, content: `hi from ${p.name}` }));
    for (const theme of ['light', 'dark']) {
      const { el } = await openChat(room({ productId: `p-${theme}`, messages }));
      el.setAttribute('theme', theme);
      await el.updateComplete;
      const avatars = $$(el, '.row.chat .avatar');
      expect(avatars).to.have.length(8);
      const colours = avatars.map((a) => [rgbOf(getComputedStyle(a).backgroundColor), rgbOf(getComputedStyle(a).color)] as const);
      for (const [bg, fg] of colours) expect(contrast(bg, fg), `${theme}: ${bg.join()} on ${fg.join()}`).to.be.at.least(4.5);
      expect(new Set(colours.map(([bg]) => bg.join())).size).to.be.at.least(7);
    }
  });

  it('opens the participants panel over the messages without shrinking them', async () => {
    const { el } = await openChat(room({ participants: [PEOPLE.alex, PEOPLE.seojun, PEOPLE.priya, PEOPLE.seller] }));
    const log = $(el, '.log')!;
    const before = log.getBoundingClientRect().height;
    $(el, '[part~="participants-button"]')!.click();
    await el.updateComplete;
    const panel = $(el, '[part~="participants-panel"]')!;
    await waitUntil(() => panel.getBoundingClientRect().height > 0);
    expect(log.getBoundingClientRect().height).to.equal(before);
    expect(panel.getBoundingClientRect().height).to.be.below(before);
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect($(el, '[part~="participants-panel"]')).to.equal(null);
  });

  it('disables Join and Leave while the connection is down', async () => {
    const { el, backend } = await openChat();
    const button = (): HTMLButtonElement => $(el, '[part~="join-button"]') as HTMLButtonElement;
    expect(button().disabled).to.equal(false);
    backend.disconnect();
    await waitUntil(() => button().disabled, 'Join stayed enabled while disconnected');
    backend.reconnect();
    await waitUntil(() => !button().disabled, 'Join stayed disabled after reconnecting', { timeout: 5000 });
  });

  for (const display of ['block', 'grid', 'inline-block']) {
    it(`keeps the composer at the bottom when the page sets display: ${display}`, async () => {
      const backend = testServer();
      backends.push(backend);
      await backend.addRoom(room());
      const client = testClient(backend, PEOPLE.minji);
      clients.push(client);
      const el = await fixture<GroupbuyChat>(
        html`<groupbuy-chat product-id="p-1" lang="en" .client=${client} style="display: ${display}; height: 560px; width: 380px"></groupbuy-chat>`,
      );
      await waitUntil(() => $(el, '.log .row'));
      const host = el.getBoundingClientRect();
      const hint = $(el, '[part~="composer-hint"]')!.getBoundingClientRect();
      const composer = $(el, '[part~="composer"]')!.getBoundingClientRect();
      expect(host.height).to.be.closeTo(560, 1);
      expect(hint.bottom).to.be.closeTo(host.bottom - 1, 2);
      expect(composer.top).to.be.above(host.top + host.height / 2);
    });
  }

  it('tells a watcher of a closed deal that it closed for watchers, with nothing to retry', async () => {
    const backend = testServer();
    backends.push(backend);
    await backend.addRoom(room({ status: 'CLOSED' }));
    const client = testClient(backend, PEOPLE.watcher);
    clients.push(client);
    const el = await fixture<GroupbuyChat>(
      html`<groupbuy-chat product-id="p-1" lang="en" .client=${client} style="height: 560px"></groupbuy-chat>`,
    );
    await waitUntil(() => $(el, '.log .placeholder'), 'the chat did not settle');
    await waitUntil(() => $(el, '.closed-for-watchers'), `the chat says "${text($(el, '.log'))}"`);
    expect(text($(el, '.log'))).to.contain('This deal has closed. Only its buyers and the seller can see the chat.');
    expect(text($(el, '.log'))).not.to.contain("You don't have access");
    expect($(el, '.log button')).to.equal(null);
    expect(text($(el, '[part~="composer-hint"]'))).to.equal('This deal has closed. Only buyers and the seller can chat.');
    await expect(el).to.be.accessible();
  });

  it('hints at Enter and Shift+Enter with a mouse and keyboard', async () => {
    const { el } = await openChat();
    expect($(el, '[part~="composer-hint"]')!.innerText.trim()).to.equal('Enter to send · Shift+Enter for a new line');
  });
});

function rgbOf(colour: string): [number, number, number] {
  // Chromium reports oklch() backgrounds as written: paint one pixel to read it back as sRGB.
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, 1, 1);
  const [r = 0, g = 0, b = 0] = ctx.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

function contrast(a: readonly number[], b: readonly number[]): number {
  const lum = (c: readonly number[]): number => {
    const [r = 0, g = 0, bl = 0] = c.map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('<groupbuy-chat> first render', () => {
  it("comes after the room's read has left, and needs no timer (a background tab runs them once a second)", async () => {
    const backend = testServer();
    backends.push(backend);
    await backend.addRoom(room());
    const order: string[] = [];
    const client = testClient(backend, PEOPLE.minji, {
      fetch: (input, init) => {
        order.push(`fetch ${new URL(input instanceof Request ? input.url : String(input)).pathname}`);
        return backend.fetch(input, init);
      },
    });
    clients.push(client);
    const el = document.createElement('groupbuy-chat');
    el.productId = 'p-1';
    el.lang = 'en';
    el.client = client;
    // No timer fires until the first render is done (they are held, then set for real): were the render
    // waiting for one, it would never come.
    const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = window;
    const held = new Map<number, () => void>();
    let lastId = 0;
    window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
      const id = --lastId;
      held.set(id, () => realSetTimeout(handler, ms, ...args));
      return id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => (id !== undefined && held.delete(id)) || realClearTimeout(id)) as typeof window.clearTimeout;
    try {
      document.body.append(el);
      // Half a second of frames (no timer) at the most.
      const frames = (n: number): Promise<void> =>
        new Promise((r) => requestAnimationFrame(() => (n <= 1 ? r() : void frames(n - 1).then(r))));
      await Promise.race([el.updateComplete.then(() => order.push('first render')), frames(30)]);
    } finally {
      window.setTimeout = realSetTimeout;
      window.clearTimeout = realClearTimeout;
      for (const set of held.values()) set();
    }
    try {
      expect(order.slice(0, 2)).to.deep.equal(['fetch /api/chat/rooms/p-1/view', 'first render']);
      await waitUntil(() => $(el, '.log .row, .log .placeholder.empty'), 'the chat did not load');
    } finally {
      el.remove();
    }
  });
});

describe('<groupbuy-chat> read position', () => {
  it('is not moved by a chat that is not displayed (a closed panel, a hidden tab of the page)', async () => {
    const { el, backend } = await openChat(room({ productId: 'p-hidden' }));
    const unread = (): Promise<number | undefined> => serverUnread(backend, 'p-hidden', PEOPLE.minji);
    el.style.display = 'none';
    await backend.post('p-hidden', { sender: PEOPLE.alex, content: '안 보이는 동안' });
    await waitUntil(() => text($(el, '.log')).includes('안 보이는 동안'), 'the message did not arrive');
    // The frame and the task after it, in which a displayed chat would have marked it read.
    for (let i = 0; i < 5; i++) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => setTimeout(r, 50));
    expect(await unread()).to.equal(1);
    el.style.display = '';
    await backend.post('p-hidden', { sender: PEOPLE.alex, content: '이제 보여요' });
    await waitUntil(async () => (await unread()) === 0, 'shown again, the chat did not mark the room read');
  });
});
