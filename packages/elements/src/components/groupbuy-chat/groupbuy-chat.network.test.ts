// <groupbuy-chat> against the reference server (started by web-test-runner.config.mjs): the element
// builds its own client from `base-url` + `token` + `transport`, over real sockets.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { referenceServer } from '../../test-support/server.js';

let server: Awaited<ReturnType<typeof referenceServer>>;

before(async () => {
  server = await referenceServer('wtr');
});

function $(el: GroupbuyChat, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const tokenFor = (userId: string, name: string, role?: 'service', ttlSeconds?: number): Promise<string> =>
  server.devToken(userId, { name, role, ttlSeconds });

async function createRoom(maxParticipants = 10): Promise<string> {
  return (await server.createRoom({ title: 'Network test deal', maxParticipants, expiresInMs: 2 * 3_600_000 })).productId;
}

async function openChat(productId: string, userId: string, name: string, transport = 'stomp'): Promise<GroupbuyChat> {
  const token = await tokenFor(userId, name);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat product-id=${productId} base-url=${server.url} transport=${transport} token=${token} lang="en"></groupbuy-chat>`,
  );
  await waitUntil(() => $(el, '.log .row, .log .placeholder.empty'), 'the chat did not load', { timeout: 8000 });
  return el;
}

async function send(el: GroupbuyChat, value: string): Promise<void> {
  const input = $(el, 'textarea') as HTMLTextAreaElement;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await el.updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  await el.updateComplete;
}

function bubbles(el: GroupbuyChat): string[] {
  return [...el.shadowRoot!.querySelectorAll('.row.chat .bubble')].map((b) => text(b).replace(/^[^:]*: /, ''));
}

describe('<groupbuy-chat> with the reference server', () => {
  for (const transport of ['stomp', 'socket.io', 'ws']) {
    it(`delivers one shopper's message to another over ${transport}`, async () => {
      const productId = await createRoom();
      const a = await openChat(productId, `a-${transport}`, 'Ana', transport);
      const b = await openChat(productId, `b-${transport}`, '보라', transport);
      await waitUntil(() => b.shadowRoot!.querySelector('.log[aria-busy="false"]'));
      await send(a, `hello over ${transport} 👋`);
      await waitUntil(() => bubbles(b).includes(`hello over ${transport} 👋`), 'B did not receive the message', { timeout: 8000 });
      await waitUntil(() => $(a, '.row.own.sent'), 'A did not see its message stored');
    });
  }

  it('closes the deal for everyone when the last spot is taken', async () => {
    const productId = await createRoom(2);
    const a = await openChat(productId, 'full-a', 'Ana');
    const b = await openChat(productId, 'full-b', 'Ben');
    for (const el of [a, b]) {
      $(el, '[part~="join-button"]')!.click();
      await waitUntil(() => text($(el, '[part~="status"]')) === 'Closed' || text($(el, '[part~="join-button"]')) === 'Leave');
    }
    for (const el of [a, b]) {
      await waitUntil(() => text($(el, '[part~="status"]')) === 'Closed', 'CLOSED did not arrive', { timeout: 8000 });
      expect($(el, '[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('2');
    }
  });

  it('reconnects after the server drops every connection and delivers what was sent meanwhile', async () => {
    const productId = await createRoom();
    const a = await openChat(productId, 'drop-a', 'Ana');
    const b = await openChat(productId, 'drop-b', 'Ben');
    await send(a, 'before the drop');
    await waitUntil(() => bubbles(b).includes('before the drop'), 'no delivery before the drop', { timeout: 8000 });
    let sawBanner = false;
    const observer = new MutationObserver(() => {
      if ($(a, '[part~="connection-banner"]')) sawBanner = true;
    });
    observer.observe(a.shadowRoot!, { subtree: true, childList: true });
    await fetch('/__groupbuy/drop-connections');
    await send(a, 'typed during the outage');
    await waitUntil(() => bubbles(b).includes('typed during the outage'), 'the queued message never arrived', { timeout: 10000 });
    observer.disconnect();
    expect(sawBanner).to.equal(true);
    expect(bubbles(b).filter((m) => m === 'typed during the outage')).to.have.length(1);
    await waitUntil(() => !$(a, '[part~="connection-banner"]'));
  });

  it('lists two open chats as watching each other, apart from a buyer', async () => {
    const productId = await createRoom();
    const a = await openChat(productId, 'view-a', 'Ana');
    const b = await openChat(productId, 'view-b', 'Ben');
    const panelOf = async (el: GroupbuyChat): Promise<ShadowRoot> => {
      $(el, '[part~="participants-button"]')!.click();
      await el.updateComplete;
      return $(el, 'participant-list')!.shadowRoot!;
    };
    const names = (root: ShadowRoot, part: string): string[] =>
      [...root.querySelectorAll(`[part~="${part}"] [part~="name"]`)].map((n) => text(n));
    const [listA, listB] = [await panelOf(a), await panelOf(b)];
    // B opened the chat after A, so its first look already finds A.
    await waitUntil(() => names(listB, 'watcher').join() === 'Ana,Ben', `B sees ${names(listB, 'watcher').join()}`, { timeout: 8000 });
    // A learns of B on its next refresh; a join (here one made without opening the chat) triggers it.
    await server.post(`/api/chat/rooms/${productId}/participants`, {}, await tokenFor('view-c', 'Cy'));
    await waitUntil(() => names(listA, 'watcher').join() === 'Ana,Ben', `A sees ${names(listA, 'watcher').join()}`, { timeout: 8000 });
    // The buyer list is read again after the join, apart from the viewers push: either may come first.
    await waitUntil(() => names(listA, 'participant').join() === 'Cy', `A's buyers: ${names(listA, 'participant').join()}`, {
      timeout: 8000,
    });
  });

  it("shows the server's rate limit", async () => {
    const productId = await createRoom();
    const a = await openChat(productId, 'rate-a', 'Ana');
    for (let i = 1; i <= 11; i++) {
      await send(a, `burst ${i}`);
      await waitUntil(() => !$(a, '.row.own.pending'), 'a send stayed pending', { timeout: 8000 });
      if ($(a, '.hint.error')) break;
    }
    await waitUntil(() => $(a, '.hint.error'), 'no rate-limit hint');
    expect(text($(a, '[part~="composer-hint"]'))).to.match(/^You're sending messages too fast\. Try again in \d+ s\.$/);
    expect(text($(a, '.row.own.failed .failed-row'))).to.contain("You're sending messages too fast.");
  });

  it('asks to sign in again when the token expires, and reconnects at once with the one the page sets', async () => {
    const productId = await createRoom();
    const el = await fixture<GroupbuyChat>(
      // STOMP: on the plain-WS default this re-sign-in came back in one of two CI runs only (noted in stop 15).
      html`<groupbuy-chat
        product-id=${productId}
        base-url=${server.url}
        token=${await tokenFor('exp-a', 'Ana', undefined, 2)}
        transport="stomp"
        lang="en"
      ></groupbuy-chat>`,
    );
    const events: Event[] = [];
    el.addEventListener('groupbuy-auth-required', (e) => events.push(e));
    await waitUntil(() => $(el, '.log .placeholder.empty'), 'the chat did not load', { timeout: 8000 });
    await waitUntil(() => $(el, '[part~="auth-banner"]'), 'no sign-in-again state after the token expired', { timeout: 10000 });
    expect(events).to.have.length(1);
    expect($(el, '[part~="connection-banner"]')).to.equal(null);
    el.token = await tokenFor('exp-a', 'Ana');
    await waitUntil(() => !$(el, '[part~="auth-banner"]'), 'the new token did not bring the chat back', { timeout: 8000 });
    await send(el, 'back after signing in');
    await waitUntil(() => $(el, '.row.own.sent'), 'the message after the new sign-in was not stored', { timeout: 8000 });
    expect(events).to.have.length(1);
  });

  it('renews an expiring token through tokenProvider and delivers the next message', async () => {
    const productId = await createRoom();
    let minted = 0;
    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id=${productId} base-url=${server.url} lang="en"></groupbuy-chat>`);
    const events: Event[] = [];
    el.addEventListener('groupbuy-auth-required', (e) => events.push(e));
    el.tokenProvider = () => {
      minted += 1;
      return tokenFor('renew-a', 'Ana', undefined, 2);
    };
    await waitUntil(() => $(el, '.log .placeholder.empty'), 'the chat did not load', { timeout: 8000 });
    const first = minted;
    // The server ends the connection when the token expires; the widget asks the provider again.
    await waitUntil(() => minted > first && el.shadowRoot!.querySelector('[part~="connection-banner"]') === null, 'no renewal', {
      timeout: 10000,
    });
    await send(el, 'after the renewal');
    await waitUntil(() => $(el, '.row.own.sent'), 'the message after the renewal was not stored', { timeout: 8000 });
    expect(events).to.have.length(0);
  });

  it("shows a signed-out visitor the deal and the seller's notices from the public feed", async () => {
    const productId = await createRoom();
    const service = await tokenFor('trade-service', 'Trade service', 'service');
    await server.post(`/api/chat/rooms/${productId}/notifications`, { content: '오늘 밤 10시 마감, 내일 발송합니다' }, service);
    const el = await fixture<GroupbuyChat>(
      html`<groupbuy-chat product-id=${productId} base-url=${server.url} lang="en"><button slot="signed-out">Sign in</button></groupbuy-chat>`,
    );
    await waitUntil(() => text($(el, '[part~="title"]')) === 'Network test deal', 'no deal header for a signed-out visitor', {
      timeout: 8000,
    });
    await waitUntil(() => text($(el, '[part~="notice"]')).includes('오늘 밤 10시 마감'), 'no seller notice', { timeout: 8000 });
    expect(text($(el, '[part~="status"]'))).to.equal('Open');
    expect(text($(el, '[part~="progress-text"]'))).to.contain('0/10 joined');
    expect($(el, '[part~="join-button"]')).to.equal(null);
    expect(($(el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(true);
    expect(($(el, 'slot[name="signed-out"]') as HTMLSlotElement).assignedElements()).to.have.length(1);
    await expect(el).to.be.accessible();
    await server.post(`/api/chat/rooms/${productId}/notifications`, { content: 'Second notice, live' }, service);
    await waitUntil(() => text($(el, '.log')).includes('Second notice, live'), 'a live notice did not arrive', { timeout: 8000 });
  });
});
