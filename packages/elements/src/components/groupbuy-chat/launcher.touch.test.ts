// The launcher on a phone: web-test-runner.config.mjs runs this file in a phone-like browser context
// (touch, 390 × 844).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { PEOPLE, testClient, testServer } from '../../test-support/server.js';

let backend: InProcessServer;
let client: ChatClient;

before(async () => {
  // A phone's layout viewport, 390 px wide (the runner gives every page an 800 × 600 one, and a mobile
  // browser without a viewport tag lays out 980 px wide).
  const meta = document.createElement('meta');
  meta.name = 'viewport';
  meta.content = 'width=390';
  document.head.append(meta);
  await waitUntil(() => innerWidth <= 480, `the page is ${innerWidth} px wide`);
});

beforeEach(async () => {
  backend = testServer();
  await backend.addRoom({ productId: 'p-phone', title: '제주 햇귤 5kg 공동구매', maxParticipants: 10, participants: [PEOPLE.alex] });
  client = testClient(backend, PEOPLE.minji);
});

afterEach(async () => {
  // The element goes first, so it lets go of the client before the client closes.
  document.querySelectorAll('groupbuy-chat').forEach((el) => el.remove());
  client.close();
  await backend.dispose();
  localStorage.clear();
});

describe('<groupbuy-chat mode="launcher"> on a phone', () => {
  it('opens full screen with a close button that closes it', async () => {
    const el = await fixture<GroupbuyChat>(
      html`<groupbuy-chat mode="launcher" product-id="p-phone" lang="en" .client=${client}></groupbuy-chat>`,
    );
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('[part="launcher"]'), 'the launcher did not render');
    root.querySelector<HTMLElement>('[part="launcher"]')!.click();
    await el.updateComplete;
    await waitUntil(() => root.querySelector('.log .placeholder.empty, .log .row'), 'the chat did not load');

    const panel = root.querySelector<HTMLElement>('[part="launcher-panel"]')!.getBoundingClientRect();
    expect([panel.left, panel.top, panel.width, panel.height]).to.deep.equal([0, 0, innerWidth, innerHeight]);
    // The composer is on screen, at the bottom.
    const composer = root.querySelector<HTMLElement>('[part~="composer"]')!.getBoundingClientRect();
    expect(composer.bottom).to.be.at.most(innerHeight);
    expect(composer.bottom).to.be.greaterThan(innerHeight - 120);

    const close = root.querySelector<HTMLElement>('[part="launcher-close"]')!;
    expect(close.getAttribute('aria-label')).to.equal('Close chat');
    const box = close.getBoundingClientRect();
    expect(box.width).to.be.at.least(40);
    expect(box.height).to.be.at.least(40);
    close.click();
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(root.querySelector('[part="launcher-panel"]')).to.equal(null);
  });
});
