import { expect, fixture, waitUntil } from '@open-wc/testing';
import meta from './rich-notice.stories.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { LINK_REL } from '../../internal/rich-text.js';

/** Elements under `root`, through every shadow root below it. */
function deepAll(root: ParentNode, selector: string): Element[] {
  const found = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepAll(el.shadowRoot, selector));
  return found;
}

describe('the rich notice story on the in-page server', () => {
  it('shows the seller’s Markdown notice rendered and sanitised, and a buyer’s link', async () => {
    const host = await fixture<HTMLElement>(meta.render!({ lang: 'en', theme: 'auto' }, {} as never));
    const chat = (host.matches('groupbuy-chat') ? host : host.querySelector('groupbuy-chat')) as GroupbuyChat;
    await waitUntil(() => deepAll(chat.shadowRoot!, '.notice-card strong').length > 0, 'the notice rendered its Markdown', {
      timeout: 10000,
    });
    const cards = deepAll(chat.shadowRoot!, '.notice-card .content');
    const rich = cards.find((c) => c.querySelector('strong'))!;
    expect(rich.querySelector('strong')!.textContent).to.equal('Shipping update');
    expect(rich.querySelectorAll('li').length).to.equal(2);
    const faq = rich.querySelector('a')!;
    expect(faq.getAttribute('href')).to.equal('https://shop.example/faq');
    expect(faq.rel).to.equal(LINK_REL);
    // The hostile notice: no image, no script URL.
    for (const card of cards) {
      expect(card.querySelector('img')).to.equal(null);
      for (const a of card.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').to.not.match(/^javascript:/i);
    }
    const bubbleLink = deepAll(chat.shadowRoot!, '.bubble a').find((a) => a.getAttribute('href')?.includes('reviews'));
    expect(bubbleLink?.getAttribute('href')).to.equal('https://shop.example/reviews?p=1');
    expect(bubbleLink?.textContent).to.equal('https://shop.example/reviews?p=1');
  });
});
