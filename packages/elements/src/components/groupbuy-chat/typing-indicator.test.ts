import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { PEOPLE, serverUnread, testClient, testServer } from '../../test-support/server.js';

// The typing line (issue 12) in Chromium, on the real core in this page: one widget types, the other shows
// "…님이 입력 중…", and the name goes when the message arrives. IME composition-only input sends nothing.

const clients: ChatClient[] = [];
let backend: InProcessServer;

beforeEach(async () => {
  backend = testServer();
  await backend.addRoom({ productId: 'p-typing', title: '제주 햇귤', maxParticipants: 10, hostId: PEOPLE.seller.userId, participants: [] });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend.dispose();
  localStorage.clear();
});

async function open(user: TestUser, lang: string): Promise<GroupbuyChat> {
  const client = testClient(backend, user);
  clients.push(client);
  const el = await fixture<GroupbuyChat>(
    html`<groupbuy-chat product-id="p-typing" lang=${lang} .client=${client} style="height: 480px"></groupbuy-chat>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('.log .row, .log .placeholder.empty'), 'the chat did not load');
  return el;
}

function input(el: GroupbuyChat, value: string, init: InputEventInit = {}): void {
  const area = el.shadowRoot!.querySelector('textarea')!;
  area.value = value;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, ...init }));
}

function enter(el: GroupbuyChat): void {
  const area = el.shadowRoot!.querySelector('textarea')!;
  area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, composed: true }));
}

const line = (el: GroupbuyChat) => (el.shadowRoot!.querySelector('[part="typing"]')?.textContent ?? '').trim();
const bubbles = (el: GroupbuyChat) => [...el.shadowRoot!.querySelectorAll('.row.chat .bubble')].map((b) => b.textContent ?? '');

describe('typing line', () => {
  it('shows "Alex님이 입력 중…" while Alex types, ignores composition-only input, and clears on his message', async () => {
    const minji = await open(PEOPLE.minji, 'ko');
    const alex = await open(PEOPLE.alex, 'en');
    const seojun = await open(PEOPLE.seojun, 'ko');
    // Both sides live: a message from each reaches the other.
    input(alex, 'hello');
    enter(alex);
    input(seojun, '안녕');
    enter(seojun);
    await waitUntil(() => bubbles(minji).some((b) => b.includes('hello')) && bubbles(minji).some((b) => b.includes('안녕')), 'probes');
    expect(line(minji)).to.equal('');

    // Seojun's IME is mid-syllable: no typing goes out. Then Alex types for real.
    input(seojun, '아', { isComposing: true });
    input(alex, 'is this still on?');
    await waitUntil(() => line(minji) !== '', 'the typing line');
    expect(line(minji)).to.equal('Alex님이 입력 중…');
    expect(line(alex)).to.equal(''); // never one's own name

    enter(alex);
    await waitUntil(() => bubbles(minji).some((b) => b.includes('is this still on?')), 'the message');
    await waitUntil(() => line(minji) === '', 'the line to clear');

    // Minji's list sits at its end in a visible page: the widget marked everything read on the server.
    const unread = (): Promise<number | undefined> => serverUnread(backend, 'p-typing', PEOPLE.minji);
    let last: number | undefined;
    await waitUntil(async () => (last = await unread()) === 0, 'minji to have read everything');
    expect(last).to.equal(0);
  });

  it('is announced politely and passes the accessibility audit with a name shown', async () => {
    const minji = await open(PEOPLE.minji, 'en');
    // Alex types from a bare SDK session: one widget on the page, so the audit sees one banner landmark.
    const alexClient = testClient(backend, PEOPLE.alex);
    clients.push(alexClient);
    const alex = alexClient.room('p-typing');
    await alex.ready();
    alex.send('probe');
    await waitUntil(() => bubbles(minji).some((b) => b.includes('probe')), 'probe');
    alex.typing();
    await waitUntil(() => line(minji) === 'Alex is typing…', 'the typing line');
    const region = minji.shadowRoot!.querySelector('[part="typing"]')!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    await expect(minji).to.be.accessible();
  });
});
