// <groupbuy-chat> on a touch screen: web-test-runner.config.mjs runs this file in a phone-like browser
// context (touch, coarse pointer, no hover, 390 px wide).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatClient } from '@groupbuy/sdk';
import type { InProcessServer } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { PEOPLE, testClient, testServer } from '../../test-support/server.js';

let backend: InProcessServer;
let client: ChatClient;

beforeEach(async () => {
  backend = testServer();
  await backend.addRoom({ productId: 'p-touch', title: '제주 햇귤 5kg 공동구매', maxParticipants: 10, participants: [PEOPLE.alex] });
  client = testClient(backend, PEOPLE.minji);
});

afterEach(async () => {
  client.close();
  await backend.dispose();
  localStorage.clear();
});

async function open(lang: string): Promise<GroupbuyChat> {
  const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id="p-touch" lang=${lang} .client=${client}></groupbuy-chat>`);
  await waitUntil(() => el.shadowRoot!.querySelector('.log .placeholder.empty, .log .row'), 'the chat did not load');
  return el;
}

describe('<groupbuy-chat> on a touch screen', () => {
  it('runs where the pointer is coarse', () => {
    expect(matchMedia('(pointer: coarse)').matches || matchMedia('(hover: none)').matches).to.equal(true);
  });

  for (const [lang, hint] of [
    ['en', 'Tap the send button to send'],
    ['ko', '보내기 버튼을 눌러 보내요'],
  ] as const) {
    it(`does not hint at Shift+Enter (${lang})`, async () => {
      const el = await open(lang);
      const shown = el.shadowRoot!.querySelector<HTMLElement>('[part~="composer-hint"]')!.innerText.trim();
      expect(shown).to.equal(hint);
      expect(shown).not.to.contain('Shift');
    });
  }
});
