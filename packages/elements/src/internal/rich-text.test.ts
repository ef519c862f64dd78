import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nothing, render } from 'lit';
import type { ViewMessage } from '@groupbuy/sdk';
import { renderMessage, type RowContext } from '../components/groupbuy-chat/message-row.js';
import { formatsFor, stringsFor } from './i18n.js';
import { hasMarkdown, LINK_REL, linkify, loadMarkdown } from './rich-text.js';
import vectors from '../test-support/vendor/dompurify-expect.mjs';

const ctx: RowContext = {
  t: stringsFor('en'),
  f: formatsFor('en'),
  hostId: 'seller',
  isOwn: () => false,
  retry: () => undefined,
  discard: () => undefined,
};

let seq = 0;
function message(type: 'CHAT' | 'NOTIFICATION', content: string): ViewMessage {
  seq += 1;
  return {
    id: `m${String(seq)}`,
    roomId: 'p-1',
    seq,
    type,
    sender: { userId: type === 'CHAT' ? 'u1' : 'seller', name: 'Kim' },
    content,
    createdAt: '2026-12-01T10:00:00.000Z',
    status: 'sent',
  };
}

/** Renders one message row with the chat's own template into a fresh container. */
async function row(type: 'CHAT' | 'NOTIFICATION', content: string): Promise<HTMLElement> {
  const host = await fixture<HTMLElement>(html`<div></div>`);
  render(renderMessage(ctx, message(type, content), undefined), host);
  return host;
}

function links(root: ParentNode): HTMLAnchorElement[] {
  return [...root.querySelectorAll('a')];
}

describe('links in messages', () => {
  it('makes http and https URLs links opening in a new tab, with the rel the brief asks for', async () => {
    const host = await row('CHAT', 'see https://shop.example/p/1?x=1, or http://a.example/b.');
    const found = links(host.querySelector('.bubble')!);
    expect(found.map((a) => a.getAttribute('href'))).to.deep.equal(['https://shop.example/p/1?x=1', 'http://a.example/b']);
    for (const a of found) {
      expect(a.target).to.equal('_blank');
      expect(a.rel).to.equal(LINK_REL);
    }
    expect(host.querySelector('.bubble')!.textContent).to.contain('see https://shop.example/p/1?x=1, or http://a.example/b.');
  });

  it('leaves other schemes and markup as text', async () => {
    const text = 'javascript:alert(1) data:text/html,x <a href="https://x.example">x</a> ftp://f.example';
    const host = await row('CHAT', text);
    const bubble = host.querySelector('.bubble')!;
    // Only the https URL inside the quoted markup becomes a link; the markup itself stays text.
    expect(links(bubble).map((a) => a.getAttribute('href'))).to.deep.equal(['https://x.example/']);
    expect(bubble.textContent).to.contain(text);
  });

  it('keeps a parenthesis the URL opened', () => {
    const parts = linkify('(https://en.example/wiki/Foo_(bar))');
    expect(parts.length).to.equal(3);
    expect(parts[2]).to.equal(')');
  });
});

describe('Markdown notices', () => {
  it('renders bold, italics, lists, links and line breaks, sanitised, with safe links', async () => {
    const host = await row(
      'NOTIFICATION',
      '**Free shipping** today, *only*:\n\n- one\n- two\n\n[terms](https://shop.example/t) [x](javascript:alert(1))',
    );
    const content = host.querySelector('.content')!;
    await waitUntil(() => content.querySelector('strong'), 'the Markdown module rendered the notice');
    expect(content.querySelector('strong')!.textContent).to.equal('Free shipping');
    expect(content.querySelector('em')!.textContent).to.equal('only');
    expect([...content.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['one', 'two']);
    const [terms, bad] = links(content);
    expect(terms!.getAttribute('href')).to.equal('https://shop.example/t');
    expect(terms!.target).to.equal('_blank');
    expect(terms!.rel).to.equal(LINK_REL);
    expect(bad?.hasAttribute('href') ?? false).to.equal(false);
  });

  it('a notice without Markdown is plain text with links and loads nothing', async () => {
    expect(hasMarkdown('Deal closes at 9 pm. Details: https://shop.example/d')).to.equal(false);
    const host = await row('NOTIFICATION', 'Deal closes at 9 pm. Details: https://shop.example/d');
    expect(links(host.querySelector('.content')!).map((a) => a.href)).to.deep.equal(['https://shop.example/d']);
  });

  it("DOMPurify's own XSS and mXSS vectors through a notice: nothing runs, nothing leaves the card", async () => {
    const w = window as unknown as { __xss: boolean };
    w.__xss = false;
    const trip = () => {
      w.__xss = true;
    };
    const saved = { alert: window.alert, confirm: window.confirm, prompt: window.prompt, print: window.print };
    Object.assign(window, { alert: trip, confirm: trip, prompt: trip, print: trip });
    await loadMarkdown();
    const allowed = new Set(['A', 'B', 'BR', 'EM', 'I', 'LI', 'OL', 'P', 'STRONG', 'UL']);
    const host = await fixture<HTMLElement>(html`<div></div>`);
    try {
      const payloads = vectors.map((v) => v.payload);
      expect(payloads.length).to.be.greaterThan(100);
      for (const payload of payloads) {
        // Through the Markdown path: every vector either asks for it or is plain text.
        render(renderMessage(ctx, message('NOTIFICATION', payload), undefined), host);
        const card = host.querySelector('.notice-card')!;
        const content = card.querySelector('.content')!;
        for (const el of content.querySelectorAll('*')) {
          expect(allowed.has(el.tagName), `${el.tagName} from ${payload}`).to.equal(true);
          for (const attr of el.attributes) {
            expect(['href', 'target', 'rel'], `${attr.name} from ${payload}`).to.include(attr.name);
            if (attr.name === 'href') expect(attr.value, payload).to.match(/^(?:https?|mailto):/i);
          }
        }
        // The row is the one card it was: nothing was hoisted out of it.
        expect(host.children.length).to.equal(2); // the day separator and the row
        expect(host.querySelectorAll('.notice-card').length).to.equal(1);
        render(nothing, host);
      }
      // Handlers and timers a vector might have scheduled get their turn.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(w.__xss).to.equal(false);
    } finally {
      Object.assign(window, saved);
    }
  });
});
