import { expect, fixture, waitUntil } from '@open-wc/testing';
import type { StoryObj } from '@storybook/web-components-vite';
import type { TemplateResult } from 'lit';
import type { ElementArgs } from '../../test-support/story-kit.js';
import * as address from './address-form.stories.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import * as moderation from './moderation-menu.stories.js';
import * as pinned from './pinned-notice.stories.js';

// Every issue 11 story renders the state it names on the in-page server (the stories are what a designer
// reviews: a story that silently shows something else is a broken review).

const ARGS: ElementArgs = { lang: 'ko', theme: 'auto' };

let shown: GroupbuyChat | undefined;

// One story at a time, as Storybook shows them: the previous element goes before the next renders.
async function show(story: StoryObj<ElementArgs>): Promise<GroupbuyChat> {
  shown?.remove();
  const template = story.render!(ARGS, {} as never) as TemplateResult;
  shown = await fixture<GroupbuyChat>(template);
  return shown;
}

const q = (el: GroupbuyChat, selector: string): HTMLElement | null => el.renderRoot.querySelector<HTMLElement>(selector);
const text = (node: Element | null): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const OPTIONS = { timeout: 10000 };

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe('issue 11 stories', () => {
  it('Moderation: deleted message, muted composer, slow-mode countdown, masked message, host menu, report form', async () => {
    let el = await show(moderation.DeletedMessage);
    await waitUntil(() => text(q(el, '[part~="message-deleted"] .bubble')).endsWith('삭제된 메시지예요'), 'the tombstone', OPTIONS);

    el = await show(moderation.MutedComposer);
    await waitUntil(() => text(q(el, '[part~="composer-hint"]')).endsWith('까지 채팅이 제한되었어요'), 'the mute', OPTIONS);
    expect((q(el, 'textarea') as HTMLTextAreaElement).disabled).to.equal(true);

    el = await show(moderation.SlowModeCountdown);
    await waitUntil(() => /^\d+초$/.test(text(q(el, '[part~="cooldown"]'))), 'the countdown', OPTIONS);
    expect(text(q(el, '[part~="composer-hint"]'))).to.equal('슬로우 모드: 30초마다 1개');

    el = await show(moderation.MaskedMessage);
    await waitUntil(
      () => [...el.renderRoot.querySelectorAll('.row.own .bubble')].some((b) => text(b).includes('010-****-5678')),
      'the masked message',
      OPTIONS,
    );
    expect(text(el.renderRoot.querySelector('.log'))).not.to.contain('1234');
    await waitUntil(
      () => text(el.renderRoot.querySelector('[part~="pii-hint"]')).includes('배송지 입력으로 보내 주세요'),
      'the private hint',
      OPTIONS,
    );

    el = await show(moderation.HostMenuOpen);
    await waitUntil(() => el.renderRoot.querySelectorAll('[role="menu"] [role="menuitem"]').length === 4, 'the menu', OPTIONS);

    el = await show(moderation.ReportForm);
    await waitUntil(() => q(el, '#report-reason'), 'the report form', OPTIONS);
  });

  it('Pinned notice: open, collapsed, and the seller’s Unpin', async () => {
    let el = await show(pinned.Open);
    await waitUntil(() => q(el, '[part~="pinned-toggle"]')?.getAttribute('aria-expanded') === 'true', 'open', OPTIONS);
    el = await show(pinned.Collapsed);
    await waitUntil(() => q(el, '[part~="pinned-toggle"]')?.getAttribute('aria-expanded') === 'false', 'collapsed', OPTIONS);
    el = await show(pinned.SellerUnpin);
    await waitUntil(() => q(el, '[part~="unpin-button"]'), 'Unpin', OPTIONS);
  });

  it('Shipping address: empty form, a field error, saved masked, the seller’s count', async () => {
    let el = await show(address.FormEmpty);
    await waitUntil(() => q(el, '#address-recipient'), 'the empty form', OPTIONS);
    el = await show(address.FormError);
    await waitUntil(() => q(el, '#address-phone-error'), 'the phone error', OPTIONS);
    el = await show(address.FormSavedMasked);
    await waitUntil(() => text(q(el, '[part~="address-saved"]')).includes('010-****-5678'), 'the masked address', OPTIONS);
    expect(text(q(el, '[part~="address-saved"]'))).to.contain('김*지');
    el = await show(address.HostAddressCount);
    await waitUntil(() => text(q(el, '[part~="address-count"]')) === '배송지 2명 입력', 'the count', OPTIONS);
    expect(text(q(el, '[part~="csv-button"]'))).to.equal('CSV 내려받기');
  });

  it('Shipping address: the PII hint of a buyer (with the form button) and of a watcher (join first)', async () => {
    let el = await show(address.PiiHintBuyer);
    await waitUntil(() => q(el, '[part~="pii-hint"]'), "the buyer's hint", OPTIONS);
    expect(text(q(el, '[part~="pii-hint"] .banner-text'))).to.equal('전화번호·주소는 배송지 입력으로 보내 주세요');
    expect(text(q(el, '[part~="pii-hint"] .link-button'))).to.equal('배송지 입력');
    el = await show(address.PiiHintWatcher);
    await waitUntil(() => q(el, '[part~="pii-hint"]'), "the watcher's hint", OPTIONS);
    expect(text(q(el, '[part~="pii-hint"] .banner-text'))).to.contain('공동구매에 참여하면 배송지를');
    expect(q(el, '[part~="pii-hint"] .link-button')).to.equal(null);
  });
});
