import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { PEOPLE, testClient, testServer } from '../../test-support/server.js';

// "친구 초대" (issue 12) in Chromium, on the real core in this page: the button asks the server for the
// shopper's code and copies the product page's link with gb_ref (the browser context grants the clipboard,
// see web-test-runner.config.mjs); a second shopper who opens that link and joins is attributed to the
// inviter in the JOINED line. Only the browser's own share sheet and a refused clipboard are played here.

const PRODUCT = 'p-invite';
const clients: ChatClient[] = [];
let backend: InProcessServer;
let pageUrl: string;

beforeEach(async () => {
  pageUrl = location.href;
  backend = testServer();
  await backend.addRoom({
    productId: PRODUCT,
    title: '제주 햇귤 5kg',
    maxParticipants: 10,
    hostId: PEOPLE.seller.userId,
    participants: [],
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend.dispose();
  history.replaceState(null, '', pageUrl);
  localStorage.clear();
});

async function open(user: TestUser, lang: string, attrs: { inviteUrl?: string } = {}): Promise<GroupbuyChat> {
  const client = testClient(backend, user);
  clients.push(client);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat product-id=${PRODUCT} lang=${lang} invite-url=${attrs.inviteUrl ?? nothing} .client=${client} style="height: 480px"></groupbuy-chat>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('[part~="invite-button"]'), 'the invite button did not show', { timeout: 5000 });
  return el;
}

const $ = (el: GroupbuyChat, selector: string): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (node: Element | null): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const systemLines = (el: GroupbuyChat): string[] => [...el.shadowRoot!.querySelectorAll('.row.system')].map(text);

async function join(el: GroupbuyChat): Promise<void> {
  await waitUntil(() => ($(el, '[part~="join-button"]') as HTMLButtonElement | null)?.disabled === false, 'join not offered');
  $(el, '[part~="join-button"]')!.click();
}

/** Minji's code, as the server keeps it (the same on every call). */
async function codeOf(user: TestUser): Promise<string> {
  const client = testClient(backend, user);
  clients.push(client);
  const session = client.room(PRODUCT);
  await session.ready();
  return (await session.invite()).code;
}

describe('invite button', () => {
  it('copies this page’s link with the shopper’s gb_ref (dropping the one it came with) and says so politely', async () => {
    history.replaceState(null, '', `${location.pathname}?color=red&gb_ref=someone-elses-code`);
    const el = await open(PEOPLE.minji, 'ko');
    expect(text($(el, '[part~="invite-button"]'))).to.equal('친구 초대');
    $(el, '[part~="invite-button"]')!.click();
    await waitUntil(() => text($(el, '[part~="invite-status"]')) === '링크를 복사했어요', 'no "link copied"', { timeout: 5000 });
    expect($(el, '[part~="invite-status"]')!.getAttribute('role')).to.equal('status');
    const copied = new URL(await navigator.clipboard.readText());
    expect(copied.origin + copied.pathname).to.equal(location.origin + location.pathname);
    expect(copied.searchParams.get('color')).to.equal('red');
    expect(copied.searchParams.getAll('gb_ref')).to.deep.equal([await codeOf(PEOPLE.minji)]);
    await expect(el).to.be.accessible();
  });

  it('hands the shop’s invite-url to the Web Share API where there is one', async () => {
    const shared: ShareData[] = [];
    Object.defineProperty(navigator, 'share', { configurable: true, value: (data: ShareData) => (shared.push(data), Promise.resolve()) });
    try {
      const el = await open(PEOPLE.minji, 'en', { inviteUrl: 'https://shop.example/products/tangerine?utm=chat' });
      expect(text($(el, '[part~="invite-button"]'))).to.equal('Invite friends');
      $(el, '[part~="invite-button"]')!.click();
      await waitUntil(() => shared.length === 1, 'navigator.share was not called', { timeout: 5000 });
      expect(shared[0]!.title).to.equal('제주 햇귤 5kg');
      expect(shared[0]!.url).to.equal(`https://shop.example/products/tangerine?utm=chat&gb_ref=${await codeOf(PEOPLE.minji)}`);
      // Shared, not copied: nothing to announce.
      expect(text($(el, '[part~="invite-status"]'))).to.equal('');
    } finally {
      delete (navigator as { share?: unknown }).share;
    }
  });

  it('shows the link in a selected field when the clipboard is refused', async () => {
    const clipboard = navigator.clipboard;
    const refuse = (): Promise<void> => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    Object.defineProperty(clipboard, 'writeText', { configurable: true, value: refuse });
    try {
      const el = await open(PEOPLE.minji, 'en');
      $(el, '[part~="invite-button"]')!.click();
      await waitUntil(() => $(el, '[part~="invite-link"]'), 'no link field', { timeout: 5000 });
      const field = $(el, '[part~="invite-link"]') as HTMLInputElement;
      expect(new URL(field.value).searchParams.get('gb_ref')).to.equal(await codeOf(PEOPLE.minji));
      expect(field.readOnly).to.equal(true);
      expect(el.shadowRoot!.activeElement).to.equal(field);
      expect([field.selectionStart, field.selectionEnd]).to.deep.equal([0, field.value.length]);
      expect(text(el.shadowRoot!.querySelector('label[for="invite-link"]'))).to.equal('Copy this link');
      await expect(el).to.be.accessible();
    } finally {
      delete (clipboard as { writeText?: unknown }).writeText;
    }
  });

  it('a shopper who opens the link and joins shows up as invited by the sender, in both languages', async () => {
    const minji = await open(PEOPLE.minji, 'ko');
    $(minji, '[part~="invite-button"]')!.click();
    await waitUntil(() => text($(minji, '[part~="invite-status"]')) !== '', 'no "link copied"', { timeout: 5000 });
    const link = new URL(await navigator.clipboard.readText());
    // Alex opens the product page from the link.
    history.replaceState(null, '', link.pathname + link.search);
    const alex = await open(PEOPLE.alex, 'en');
    await join(alex);
    await waitUntil(() => systemLines(alex).includes('Alex joined, invited by 민지 (1/10)'), `Alex sees ${systemLines(alex).join(' | ')}`);
    await waitUntil(
      () => systemLines(minji).includes('Alex님이 민지님 초대로 참여했어요 (1/10)'),
      `Minji sees ${systemLines(minji).join(' | ')}`,
    );
  });

  it('an invite-ref attribute wins over the page URL, and a join without any ref names no inviter', async () => {
    const code = await codeOf(PEOPLE.minji);
    const seojun = await open(PEOPLE.seojun, 'en');
    seojun.setAttribute('invite-ref', code);
    await join(seojun);
    await waitUntil(
      () => systemLines(seojun).includes('서준 joined, invited by 민지 (1/10)'),
      `서준 sees ${systemLines(seojun).join(' | ')}`,
    );
    const priya = await open(PEOPLE.priya, 'en');
    await join(priya);
    await waitUntil(() => systemLines(priya).includes('Priya joined the deal (2/10)'), `Priya sees ${systemLines(priya).join(' | ')}`);
  });

  it('is not offered to a signed-out visitor', async () => {
    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id=${PRODUCT} lang="en"></groupbuy-chat>`);
    await el.updateComplete;
    expect($(el, '[part~="invite-button"]')).to.equal(null);
  });
});
