import { expect, waitUntil } from '@open-wc/testing';
import { PEOPLE } from '../../test-support/server.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { openAs, press, q, qa, roomPerTest, rowWith, send, sessionAs, textOf } from './moderation-test-kit.js';

// Issue 11's moderation in the widget, in Chromium on the real server core in this page: tombstones, the
// per-message menu (keyboard, Escape), mute, slow mode and reports, each driven through the real SDK.

const P = 'p-moderation';
const room = roomPerTest(P, {
  participants: [PEOPLE.minji, PEOPLE.alex],
  // Ten minutes old: past the sender's own delete window (LIMITS.ownDeleteWindowMs).
  messages: [{ sender: PEOPLE.alex, content: '광고 보고 연락 주세요', createdAt: Date.now() - 10 * 60_000 }],
});

const menuButton = (el: GroupbuyChat, content: string) =>
  rowWith(el, content)?.querySelector<HTMLButtonElement>('[part~="message-menu-button"]') ?? null;
const items = (el: GroupbuyChat) => qa(el, '[role="menu"] [role="menuitem"]');
const activeIn = (el: GroupbuyChat) => el.shadowRoot!.activeElement;

describe('moderation in the widget', () => {
  it('turns a bubble into "삭제된 메시지예요" when the seller deletes it, live and after a reload, with no content and no menu', async () => {
    const minji = await openAs(room.server, P, PEOPLE.minji, 'ko');
    const seller = await sessionAs(room.server, P, PEOPLE.seller);
    const target = seller.messages.find((m) => m.content === '광고 보고 연락 주세요');
    await waitUntil(() => menuButton(minji, '광고 보고'), 'the menu button (minji may report it)'); // a lazy chunk
    await seller.deleteMessage(target!.status === 'sent' ? target!.seq : -1);

    await waitUntil(() => qa(minji, '[part~="message-deleted"]').length === 1, 'the tombstone');
    const row = q(minji, '[part~="message-deleted"]')!;
    expect(textOf(row.querySelector('.bubble'))).to.equal('Alex: 삭제된 메시지예요');
    expect(textOf(row)).not.to.contain('광고');
    expect(row.querySelector('[part~="message-menu-button"]')).to.equal(null);
    // The SYSTEM line says so in the reader's language.
    expect(qa(minji, '.system-text').map(textOf)).to.include('메시지가 삭제됐어요');

    // Another reader opening the chat later gets the tombstone from history (alone on the page, for the audit).
    minji.remove();
    const alex = await openAs(room.server, P, PEOPLE.alex, 'en');
    await waitUntil(() => q(alex, '[part~="message-deleted"]'), 'the tombstone from history');
    expect(textOf(q(alex, '[part~="message-deleted"] .bubble'))).to.equal('You: This message was deleted');
    await expect(alex).to.be.accessible();
  });

  it("opens the seller's menu from a real button (aria-haspopup, aria-expanded), moves with the arrows, closes on Escape, and mutes for 10 minutes", async () => {
    const alex = await openAs(room.server, P, PEOPLE.alex, 'ko');
    const seller = await openAs(room.server, P, PEOPLE.seller, 'en');
    await waitUntil(() => menuButton(seller, '광고 보고'), 'the menu button');
    const button = menuButton(seller, '광고 보고')!;
    expect(button.tagName).to.equal('BUTTON');
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.getAttribute('aria-label')).to.equal('Message actions');

    button.focus();
    button.click();
    await waitUntil(() => items(seller).length > 0 && activeIn(seller) === items(seller)[0], 'the menu, focused', { timeout: 5000 });
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(items(seller).map(textOf)).to.deep.equal(['Delete', 'Mute for 10 min', 'Mute for 1 h', 'Mute for 24 h']);
    press(items(seller)[0]!, 'ArrowDown');
    expect(textOf(activeIn(seller))).to.equal('Mute for 10 min');
    press(items(seller)[1]!, 'ArrowUp');
    expect(textOf(activeIn(seller))).to.equal('Delete');

    press(items(seller)[0]!, 'Escape');
    await waitUntil(() => items(seller).length === 0, 'the menu to close');
    await seller.updateComplete;
    expect(activeIn(seller)).to.equal(menuButton(seller, '광고 보고'));
    expect(menuButton(seller, '광고 보고')!.getAttribute('aria-expanded')).to.equal('false');

    // Mute Alex for 10 minutes: his composer is disabled with the time it lifts, in his language.
    menuButton(seller, '광고 보고')!.click();
    await waitUntil(() => items(seller).length > 0, 'the menu again');
    items(seller)[1]!.click();
    await waitUntil(() => (q(alex, 'textarea') as HTMLTextAreaElement).disabled, "Alex's composer to be disabled");
    expect(textOf(q(alex, '[part~="composer-hint"]'))).to.match(/^(오전|오후) \d{1,2}:\d{2}까지 채팅이 제한되었어요$/);
    expect(items(seller)).to.have.length(0); // the menu closed after the action

    // The seller lifts it: Alex's composer comes back by itself.
    const sellerSession = await sessionAs(room.server, P, PEOPLE.seller);
    await sellerSession.unmute(PEOPLE.alex.userId);
    await waitUntil(() => !(q(alex, 'textarea') as HTMLTextAreaElement).disabled, "Alex's composer to come back");
  });

  it('opens with the composer disabled and the mute time for a user muted before the chat opened', async () => {
    const seller = await sessionAs(room.server, P, PEOPLE.seller);
    await seller.mute(PEOPLE.alex.userId, 60 * 60_000);
    // The notice went out before this chat existed: the room snapshot (mutedUntil) tells it, no send needed.
    const alex = await openAs(room.server, P, PEOPLE.alex, 'en');
    await waitUntil(() => (q(alex, 'textarea') as HTMLTextAreaElement).disabled, 'the composer to be disabled');
    expect(textOf(q(alex, '[part~="composer-hint"]'))).to.match(/^You can chat again at \d{1,2}:\d{2}\s?[AP]M$/);
  });

  it('shows slow mode and the cooldown on the send button to a buyer, not to the exempt seller', async () => {
    const minji = await openAs(room.server, P, PEOPLE.minji, 'ko');
    const seller = await openAs(room.server, P, PEOPLE.seller, 'en');
    await waitUntil(() => q(seller, '[part~="slow-mode-control"] select'), "the seller's slow-mode selector");
    const select = q(seller, '[part~="slow-mode-control"] select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent?.trim())).to.deep.equal([
      'Off',
      '1 message every 10 s',
      '1 message every 30 s',
      '1 message every 60 s',
    ]);
    select.value = '10000';
    select.dispatchEvent(new Event('change', { bubbles: true }));

    await waitUntil(() => textOf(q(minji, '[part~="composer-hint"]')) === '슬로우 모드: 10초마다 1개', 'the slow-mode hint');
    await send(minji, '몇 시에 배송되나요?');
    await waitUntil(() => q(minji, '[part~="cooldown"]'), 'the cooldown on the send button');
    const first = textOf(q(minji, '[part~="cooldown"]'));
    expect(first).to.match(/^(10|9)초$/);
    expect((q(minji, '[part~="send-button"]') as HTMLButtonElement).disabled).to.equal(true);
    // It ticks.
    await waitUntil(() => textOf(q(minji, '[part~="cooldown"]')) !== first, 'the countdown to tick', { timeout: 2500 });

    // The seller is exempt: no hint, no countdown after a send.
    expect(textOf(q(seller, '[part~="composer-hint"]'))).not.to.contain('Slow mode');
    await send(seller, 'Shipping on Friday');
    await waitUntil(() => rowWith(seller, 'Shipping on Friday')?.querySelector('time'), "the seller's message");
    expect(q(seller, '[part~="cooldown"]')).to.equal(null);
  });

  it('lets a buyer report a message with a reason, which the seller then lists', async () => {
    const minji = await openAs(room.server, P, PEOPLE.minji, 'en');
    await waitUntil(() => menuButton(minji, '광고 보고'), 'the menu button');
    menuButton(minji, '광고 보고')!.click();
    await waitUntil(() => items(minji).length > 0, 'the menu');
    expect(items(minji).map(textOf)).to.deep.equal(['Report']);
    await expect(minji).to.be.accessible();
    items(minji)[0]!.click();
    await waitUntil(() => q(minji, '#report-reason'), 'the reason form');
    expect(activeIn(minji)).to.equal(q(minji, '#report-reason'));
    expect(textOf(q(minji, 'label[for="report-reason"]'))).to.equal('Why are you reporting this message?');
    await expect(minji).to.be.accessible();
    const reason = q(minji, '#report-reason') as HTMLTextAreaElement;
    reason.value = 'spam';
    reason.dispatchEvent(new InputEvent('input', { bubbles: true }));
    (q(minji, '[part~="report-form"] button[type="submit"]') as HTMLButtonElement).click();
    await waitUntil(() => !q(minji, '[part~="report-form"]'), 'the form to close');

    const seller = await sessionAs(room.server, P, PEOPLE.seller);
    const reports = await seller.reports();
    expect(reports.map((r) => r.reason)).to.deep.equal(['spam']);

    // The seller's widget counts it, lists it (the reason as text) and deletes the message from the list.
    minji.remove(); // one chat on the page, as on a shop's (two would be two banner landmarks)
    const sellerChat = await openAs(room.server, P, PEOPLE.seller, 'en');
    await waitUntil(() => textOf(q(sellerChat, '[part~="reports-button"]')) === '1 report', "the seller's report count");
    (q(sellerChat, '[part~="reports-button"]') as HTMLButtonElement).click();
    await waitUntil(() => q(sellerChat, '[part~="reports-list"] li'), 'the list');
    const item = q(sellerChat, '[part~="reports-list"] li')!;
    expect(textOf(item.querySelector('.report-reason'))).to.equal('spam');
    expect(q(sellerChat, '[part~="reports-button"]')!.getAttribute('aria-expanded')).to.equal('true');
    await expect(sellerChat).to.be.accessible();
    (item.querySelector('button') as HTMLButtonElement).click();
    await waitUntil(() => q(sellerChat, '[part~="message-deleted"]'), 'the reported message deleted');
    expect((await seller.reports()).length).to.equal(1); // a report stays on record after the deletion
  });

  it('offers a buyer Delete on their own fresh message only', async () => {
    const alex = await openAs(room.server, P, PEOPLE.alex, 'en');
    await send(alex, 'oops, wrong room');
    await waitUntil(
      () => rowWith(alex, 'oops, wrong room')?.querySelector('[part~="message-menu-button"]'),
      'the menu on the sent message',
    );
    menuButton(alex, 'oops, wrong room')!.click();
    await waitUntil(() => items(alex).length > 0, 'the menu');
    expect(items(alex).map(textOf)).to.deep.equal(['Delete']);
    items(alex)[0]!.click();
    await waitUntil(() => qa(alex, '[part~="message-deleted"]').length === 1, 'the own message deleted');

    // His ten-minute-old message is past the window (the protocol's decideDelete): nothing to offer, no button.
    expect(menuButton(alex, '광고 보고')).to.equal(null);
  });
});
