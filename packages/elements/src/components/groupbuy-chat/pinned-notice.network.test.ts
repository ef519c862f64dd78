// The pinned notice (issue 11) for a signed-out visitor, against the reference server started by
// web-test-runner.config.mjs: no token, so the widget reads the room from its public feed (SSE) over real
// HTTP, and the pinned notice shows under the header all the same.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { referenceServer } from '../../test-support/server.js';

let server: Awaited<ReturnType<typeof referenceServer>>;

before(async () => {
  server = await referenceServer('wtr-pin');
});

describe('pinned notice for a signed-out visitor', () => {
  it('shows the pinned notice from the public feed, Markdown rendered, with no Unpin', async () => {
    const service = await server.devToken('trade-service', { name: 'Trade service', role: 'service' });
    const { productId } = await server.createRoom({ title: '제주 햇귤', expiresInMs: 7_200_000 });
    const base = `/api/chat/rooms/${productId}`;
    const notice = await server.call<{ seq: number }>('POST', `${base}/notifications`, { content: '**금요일** 출고합니다' }, service);
    await server.call('PUT', `${base}/pin`, { seq: notice.seq }, service);

    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id=${productId} base-url=${server.url} lang="ko"></groupbuy-chat>`);
    await waitUntil(() => el.renderRoot.querySelector('[part~="pinned-notice"] [part~="pinned-body"] strong'), 'the pinned notice', {
      timeout: 8000,
    });
    const card = el.renderRoot.querySelector('[part~="pinned-notice"]')!;
    expect(card.querySelector('[part~="pinned-body"] strong')!.textContent).to.equal('금요일');
    expect(card.querySelector('[part~="unpin-button"]')).to.equal(null);
    expect(el.renderRoot.querySelector('[part~="message-menu-button"]')).to.equal(null);
  });
});
