// The pinned notice (issue 11) for a signed-out visitor, against the reference server started by
// web-test-runner.config.mjs: no token, so the widget reads the room from its public feed (SSE) over real
// HTTP, and the pinned notice shows under the header all the same.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';

let serverUrl = '';

before(async () => {
  const res = await fetch('/__groupbuy/server.json');
  serverUrl = ((await res.json()) as { url: string }).url;
});

async function call<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(serverUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe('pinned notice for a signed-out visitor', () => {
  it('shows the pinned notice from the public feed, Markdown rendered, with no Unpin', async () => {
    const productId = `wtr-pin-${Date.now().toString(36)}`;
    const service = (
      await call<{ token: string }>('POST', '/api/dev/token', { userId: 'trade-service', name: 'Trade service', role: 'service' })
    ).token;
    const base = `/api/chat/rooms/${productId}`;
    await call(
      'POST',
      '/api/chat/rooms',
      { productId, title: '제주 햇귤', maxParticipants: 10, expiresAt: new Date(Date.now() + 7_200_000).toISOString() },
      service,
    );
    const notice = await call<{ seq: number }>('POST', `${base}/notifications`, { content: '**금요일** 출고합니다' }, service);
    await call('PUT', `${base}/pin`, { seq: notice.seq }, service);

    const el = await fixture<GroupbuyChat>(html`<groupbuy-chat product-id=${productId} base-url=${serverUrl} lang="ko"></groupbuy-chat>`);
    await waitUntil(() => el.renderRoot.querySelector('[part~="pinned-notice"] [part~="pinned-body"] strong'), 'the pinned notice', {
      timeout: 8000,
    });
    const card = el.renderRoot.querySelector('[part~="pinned-notice"]')!;
    expect(card.querySelector('[part~="pinned-body"] strong')!.textContent).to.equal('금요일');
    expect(card.querySelector('[part~="unpin-button"]')).to.equal(null);
    expect(el.renderRoot.querySelector('[part~="message-menu-button"]')).to.equal(null);
  });
});
