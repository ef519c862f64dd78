import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { MemoryBackend } from '@groupbuy/sdk/memory';
import '../../define/participant-list.js';
import type { ParticipantList } from './participant-list.js';
import { PEOPLE, memoryBackend, memoryClient } from '../../test-support/memory.js';

const clients: ChatClient[] = [];
let backend: MemoryBackend;

beforeEach(() => {
  backend = memoryBackend();
  backend.addRoom({
    productId: 'p-9',
    title: 'Handmade ceramic mugs (set of 2)',
    maxParticipants: 10,
    hostId: PEOPLE.seller.userId,
    participants: [PEOPLE.alex, PEOPLE.minji, PEOPLE.seller],
  });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  backend.dispose();
});

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function openList(lang = 'en', productId = 'p-9'): Promise<ParticipantList> {
  const client = memoryClient(backend, PEOPLE.minji);
  clients.push(client);
  const el = await fixture<ParticipantList>(html`<participant-list product-id=${productId} lang=${lang} .client=${client}></participant-list>`);
  await waitUntil(() => el.shadowRoot!.querySelector('li, [part~="empty"]'), 'the list did not load');
  return el;
}

function rows(el: ParticipantList): HTMLLIElement[] {
  return [...el.shadowRoot!.querySelectorAll('li')];
}

describe('<participant-list>', () => {
  it('lists the buyers with the count, the seller and the reader marked', async () => {
    const el = await openList();
    await waitUntil(() => rows(el).length === 3);
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('3/10');
    const names = rows(el).map((li) => text(li.querySelector('[part~="name"]')));
    expect(names).to.deep.equal(['Alex', '민지', '김사장']);
    expect(text(rows(el)[1]!.querySelector('.tag'))).to.equal('You');
    expect(rows(el)[2]!.getAttribute('part')).to.contain('participant-host');
    expect(text(rows(el)[2]!.querySelector('.tag'))).to.equal('Seller');
  });

  it('updates live when buyers join and leave', async () => {
    const el = await openList();
    await waitUntil(() => rows(el).length === 3);
    backend.join('p-9', PEOPLE.priya);
    await waitUntil(() => rows(el).length === 4, 'a join did not show');
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('4/10');
    backend.leave('p-9', PEOPLE.alex.userId);
    await waitUntil(() => rows(el).length === 3, 'a leave did not show');
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('3/10');
  });

  it('speaks Korean', async () => {
    const el = await openList('ko');
    await waitUntil(() => rows(el).length === 3);
    expect(text(el.shadowRoot!.querySelector('[part~="title"]'))).to.equal('참여자');
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('3/10명');
    expect(text(rows(el)[1]!.querySelector('.tag'))).to.equal('나');
  });

  it('says so when nobody has joined yet', async () => {
    backend.addRoom({ productId: 'p-empty', title: 'Empty deal', maxParticipants: 5 });
    const el = await openList('en', 'p-empty');
    expect(text(el.shadowRoot!.querySelector('[part~="empty"]'))).to.equal('No buyers yet. Be the first to join!');
  });

  it('is accessible', async () => {
    const el = await openList();
    await waitUntil(() => rows(el).length === 3);
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
