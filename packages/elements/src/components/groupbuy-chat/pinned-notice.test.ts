import { expect, waitUntil } from '@open-wc/testing';
import { PEOPLE } from '../../test-support/server.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { openAs, q, qa, roomPerTest, rowWith, textOf } from './moderation-test-kit.js';
import { pinnedStorageKey } from './pinned-notice.js';

// Issue 11's pinned notice in Chromium on the real core: the seller pins a notice from its menu, every
// reader sees it under the header rendered as Markdown, folds it (remembered per room for the tab), and the
// seller takes it down.

const P = 'p-pinned';
const NOTICE = '**금요일** 출고 예정입니다\n- 제주 직송';
const room = roomPerTest(P, { participants: [PEOPLE.minji], messages: [{ sender: null, content: NOTICE }] });

const pinned = (el: GroupbuyChat) => q(el, '[part~="pinned-notice"]');

describe('pinned notice', () => {
  it('is pinned from the seller’s menu, shows under the header as Markdown, folds (remembered), and is unpinned', async () => {
    const minji = await openAs(room.server, P, PEOPLE.minji, 'ko');
    let seller = await openAs(room.server, P, PEOPLE.seller, 'en');
    expect(pinned(minji)).to.equal(null);

    const button = () => rowWith(seller, '출고 예정')?.querySelector<HTMLButtonElement>('[part~="message-menu-button"]');
    await waitUntil(button, "the notice's menu button");
    button()!.click();
    await waitUntil(() => qa(seller, '[role="menuitem"]').length > 0, 'the menu');
    expect(qa(seller, '[role="menuitem"]').map(textOf)).to.deep.equal(['Delete', 'Pin notice']);
    qa(seller, '[role="menuitem"]')[1]!.click();

    await waitUntil(() => pinned(minji), "the pinned notice in Minji's chat");
    const card = pinned(minji)!;
    expect(card.previousElementSibling?.getAttribute('part')).to.equal('header'); // right under the header
    expect(textOf(card.querySelector('[part~="pinned-toggle"]'))).to.contain('고정된 공지');
    await waitUntil(() => card.querySelector('[part~="pinned-body"] strong'), 'the Markdown');
    expect(textOf(card.querySelector('[part~="pinned-body"] strong'))).to.equal('금요일');
    expect(textOf(card.querySelector('[part~="pinned-body"] li'))).to.equal('제주 직송');
    expect(card.querySelector('[part~="unpin-button"]')).to.equal(null); // only the seller unpins
    seller.remove(); // one widget on the page for the audit (one banner landmark)
    await expect(minji).to.be.accessible();

    // Folding keeps one line and is remembered for this room in the tab.
    const toggle = card.querySelector<HTMLButtonElement>('[part~="pinned-toggle"]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    toggle.click();
    await minji.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(card.querySelector<HTMLElement>('[part~="pinned-body"]')!.hidden).to.equal(true);
    expect(textOf(card.querySelector('.pinned-preview'))).to.equal('**금요일** 출고 예정입니다');
    expect(sessionStorage.getItem(pinnedStorageKey(P))).to.match(/^\d+$/);
    minji.remove();
    const again = await openAs(room.server, P, PEOPLE.minji, 'ko');
    await waitUntil(() => pinned(again), 'the pinned notice after reopening');
    expect(pinned(again)!.querySelector('[part~="pinned-toggle"]')!.getAttribute('aria-expanded')).to.equal('false');

    // The seller takes it down: it goes from every reader's chat.
    seller = await openAs(room.server, P, PEOPLE.seller, 'en');
    await waitUntil(() => pinned(seller)?.querySelector('[part~="unpin-button"]'), "the seller's Unpin");
    const unpin = pinned(seller)!.querySelector<HTMLButtonElement>('[part~="unpin-button"]')!;
    expect(textOf(unpin)).to.equal('Unpin');
    unpin.click();
    await waitUntil(() => pinned(again) === null && pinned(seller) === null, 'the notice to go');
  });
});
