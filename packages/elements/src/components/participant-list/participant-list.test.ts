import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/participant-list.js';
import type { ParticipantList } from './participant-list.js';
import { PEOPLE, testClient, testServer } from '../../test-support/server.js';

const clients: ChatClient[] = [];
let backend: InProcessServer;

beforeEach(async () => {
  backend = testServer();
  await backend.addRoom({
    productId: 'p-9',
    title: 'Handmade ceramic mugs (set of 2)',
    maxParticipants: 10,
    hostId: PEOPLE.seller.userId,
    participants: [PEOPLE.alex, PEOPLE.minji, PEOPLE.seller],
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await backend.dispose();
});

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function openList(lang = 'en', productId = 'p-9', reader: TestUser = PEOPLE.minji): Promise<ParticipantList> {
  const client = testClient(backend, reader);
  clients.push(client);
  const el = await fixture<ParticipantList>(
    html`<participant-list product-id=${productId} lang=${lang} .client=${client}></participant-list>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('li, [part~="empty"]'), 'the list did not load');
  return el;
}

function rows(el: ParticipantList): HTMLLIElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLLIElement>('[part~="participant"]')];
}

function watchers(el: ParticipantList): HTMLLIElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLLIElement>('[part~="watcher"]')];
}

function names(items: Element[]): string[] {
  return items.map((li) => text(li.querySelector('[part~="name"]')));
}

function watching(el: ParticipantList): string {
  return text(el.shadowRoot!.querySelector('[part~="watchers-header"]'));
}

describe('<participant-list>', () => {
  it('lists the buyers with the count, the seller and the reader marked', async () => {
    const el = await openList();
    await waitUntil(() => rows(el).length === 3);
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('3/10');
    expect(names(rows(el))).to.deep.equal(['Alex', '민지', '김사장']);
    expect(text(rows(el)[1]!.querySelector('.tag'))).to.equal('You');
    expect(rows(el)[2]!.getAttribute('part')).to.contain('participant-host');
    expect(text(rows(el)[2]!.querySelector('.tag'))).to.equal('Seller');
  });

  it('updates live when buyers join and leave', async () => {
    const el = await openList();
    await waitUntil(() => rows(el).length === 3);
    await backend.join('p-9', PEOPLE.priya);
    await waitUntil(() => rows(el).length === 4, 'a join did not show');
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('4/10');
    await backend.leave('p-9', PEOPLE.alex.userId);
    await waitUntil(() => rows(el).length === 3, 'a leave did not show');
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('3/10');
  });

  it('speaks Korean', async () => {
    const el = await openList('ko');
    await waitUntil(() => rows(el).length === 3);
    expect(text(el.shadowRoot!.querySelector('[part~="title"]'))).to.equal('참여자');
    expect(text(el.shadowRoot!.querySelector('[part~="count"]'))).to.equal('3/10명');
    expect(text(rows(el)[1]!.querySelector('.tag'))).to.equal('나');
    await backend.watch('p-9', PEOPLE.watcher);
    await backend.join('p-9', PEOPLE.priya);
    await waitUntil(() => watchers(el).length === 1);
    expect(watching(el)).to.equal('구경 중 · 1명');
  });

  it('lists the people watching apart from the buyers, each once, the reader marked', async () => {
    await backend.watch('p-9', PEOPLE.priya);
    await backend.watch('p-9', PEOPLE.alex);
    await backend.watch('p-9', PEOPLE.watcher);
    // Priya's second tab: a real client, which must not list her twice.
    const secondTab = testClient(backend, PEOPLE.priya);
    clients.push(secondTab);
    const tab = secondTab.room('p-9');
    await waitUntil(() => tab.viewers.some((v) => v.userId === PEOPLE.priya.userId), 'the second tab did not open the chat');
    const el = await openList('en', 'p-9', PEOPLE.seojun);
    await waitUntil(() => watchers(el).length === 3, 'the watchers did not show');
    expect(names(rows(el))).to.deep.equal(['Alex', '민지', '김사장']);
    // Alex has the chat open too, but as a buyer: listed only among the buyers.
    expect(names(watchers(el))).to.deep.equal(['Priya', '구경꾼', '서준']);
    expect(watching(el)).to.equal('Watching now · 3');
    expect(watchers(el)[2]!.getAttribute('part')).to.contain('watcher-self');
    expect(text(watchers(el)[2]!.querySelector('.tag'))).to.equal('You');
    expect(watchers(el)[0]!.querySelector('.tag')).to.equal(null);
  });

  it('counts every watcher of a room larger than the pushed list, and says how many more there are', async () => {
    const el = await openList();
    await waitUntil(() => rows(el).length === 3);
    const crowd = Array.from({ length: 60 }, (_, i) => ({ userId: `crowd-${i}`, name: `Crowd ${i}` }));
    for (const user of crowd) await backend.watch('p-9', user);
    // The reader (a buyer) and the first 49 of the crowd are listed (LIMITS.viewersListMax = 50); 11 are counted.
    await waitUntil(() => watching(el) === 'Watching now · 60', 'the header did not count the crowd');
    expect(watchers(el)).to.have.length(49);
    expect(text(el.shadowRoot!.querySelector('[part~="watchers-more"]'))).to.equal('and 11 more');
    el.lang = 'ko';
    await waitUntil(() => text(el.shadowRoot!.querySelector('[part~="watchers-more"]')) === '외 11명', 'no Korean "more"');
  });

  it('marks the seller when they watch without having joined', async () => {
    await backend.addRoom({
      productId: 'p-host',
      title: 'Seller watching',
      hostId: PEOPLE.seller.userId,
      participants: [PEOPLE.alex],
      viewers: [PEOPLE.seller],
    });
    const el = await openList('en', 'p-host');
    await waitUntil(() => watchers(el).length === 2, 'the watchers did not show');
    expect(names(watchers(el))).to.deep.equal(['김사장', '민지']);
    expect(watchers(el)[0]!.getAttribute('part')).to.contain('watcher-host');
    expect(text(watchers(el)[0]!.querySelector('.tag'))).to.equal('Seller');
  });

  it('moves a watcher who joins from the watchers to the buyers', async () => {
    await backend.watch('p-9', PEOPLE.priya);
    const el = await openList();
    await waitUntil(() => watchers(el).length === 1, 'the watcher did not show');
    expect(watching(el)).to.equal('Watching now · 1');
    await backend.join('p-9', PEOPLE.priya);
    await waitUntil(() => rows(el).length === 4, 'the join did not show');
    await waitUntil(() => watchers(el).length === 0, 'the new buyer is still listed as a watcher');
    expect(names(rows(el))).to.include('Priya');
    expect(watching(el)).to.equal('Watching now · 0');
    expect(el.shadowRoot!.querySelector('[part~="watchers-list"]')).to.equal(null);
  });

  it('drops a watcher who closes the chat, as the server pushes the viewers', async () => {
    await backend.watch('p-9', PEOPLE.watcher);
    const el = await openList();
    await waitUntil(() => watchers(el).length === 1, 'the watcher did not show');
    backend.unwatch('p-9', PEOPLE.watcher.userId);
    await waitUntil(() => watchers(el).length === 0, 'the watcher who left is still listed');
  });

  it('says so when nobody has joined yet', async () => {
    await backend.addRoom({ productId: 'p-empty', title: 'Empty deal', maxParticipants: 5 });
    const el = await openList('en', 'p-empty');
    expect(text(el.shadowRoot!.querySelector('[part~="empty"]'))).to.equal('No buyers yet. Be the first to join!');
  });

  it('is accessible', async () => {
    await backend.watch('p-9', PEOPLE.watcher);
    await backend.watch('p-9', PEOPLE.priya);
    const el = await openList();
    await waitUntil(() => rows(el).length === 3 && watchers(el).length === 2);
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
