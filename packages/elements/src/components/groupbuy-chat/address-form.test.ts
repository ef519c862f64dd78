import { expect, waitUntil } from '@open-wc/testing';
import { PEOPLE } from '../../test-support/server.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { openAs, q, qa, roomPerTest, send, sessionAs, textOf } from './moderation-test-kit.js';

// Issue 11's shipping address in the widget, in Chromium on the real core: a buyer fills the lazily loaded
// form (checked with the protocol's parseShippingAddressInput, the field's error inline), sees it masked,
// edits and deletes it; the seller sees how many gave one; the PII guard's private hint opens the form.

const P = 'p-address';
const room = roomPerTest(P, { participants: [PEOPLE.minji] });

const form = (el: GroupbuyChat) => q(el, '[part~="address-form"]');
const field = (el: GroupbuyChat, name: string) => q(el, `#address-${name}`) as HTMLInputElement;

async function fill(el: GroupbuyChat, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const input = field(el, name);
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  }
  await el.updateComplete;
}

async function save(el: GroupbuyChat): Promise<void> {
  (q(el, '[part~="address-save"]') as HTMLButtonElement).click();
  await el.updateComplete;
}

describe('shipping address form', () => {
  it('validates with the field named inline, saves, shows the address masked, edits and deletes it', async () => {
    const minji = await openAs(room.server, P, PEOPLE.minji, 'ko');
    await waitUntil(() => q(minji, '[part~="address-button"]'), 'the address button');
    const button = q(minji, '[part~="address-button"]')!;
    expect(textOf(button)).to.equal('배송지 입력');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await waitUntil(() => q(minji, '#address-recipient'), 'the form');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    // Labels and autofill tokens.
    const tokens = qa(minji, '#address-form input').map((i) => [textOf(q(minji, `label[for="${i.id}"]`)), i.getAttribute('autocomplete')]);
    expect(tokens).to.deep.equal([
      ['받는 분', 'name'],
      ['전화번호', 'tel'],
      ['우편번호', 'postal-code'],
      ['주소', 'address-line1'],
      ['상세 주소 (선택)', 'address-line2'],
      ['배송 메모 (선택)', 'off'],
    ]);
    await expect(minji).to.be.accessible();

    // A bad phone number: that field carries the error, gets the focus, and nothing is sent.
    await fill(minji, { recipient: '김민지', phone: '1234', postalCode: '06236', line1: '서울 강남구 테헤란로 1', line2: '101동 1203호' });
    await save(minji);
    await waitUntil(() => field(minji, 'phone').getAttribute('aria-invalid') === 'true', 'the phone error');
    expect(textOf(q(minji, '#address-phone-error'))).to.equal('휴대폰이나 일반 전화번호를 입력해 주세요 (예: 010-1234-5678).');
    expect(field(minji, 'phone').getAttribute('aria-describedby')).to.equal('address-phone-error');
    expect(minji.shadowRoot!.activeElement).to.equal(field(minji, 'phone'));
    expect(field(minji, 'recipient').getAttribute('aria-invalid')).to.equal('false');
    const me = await sessionAs(room.server, P, PEOPLE.minji);
    expect(await me.address.get()).to.equal(null);
    await expect(minji).to.be.accessible();

    await fill(minji, { phone: '01012345678' });
    expect(q(minji, '#address-phone-error')).to.equal(null); // typing clears the error
    await save(minji);
    await waitUntil(() => q(minji, '[part~="address-saved"]'), 'the saved address');
    const shown = textOf(q(minji, '[part~="address-saved"]'));
    expect(shown).to.contain('김*지');
    expect(shown).to.contain('010-****-5678');
    expect(shown).not.to.contain('1203');
    expect(shown).not.to.contain('1234-5678');
    expect((await me.address.get())?.phone).to.equal('010-1234-5678');

    // The seller sees one address and can download them.
    const seller = await openAs(room.server, P, PEOPLE.seller, 'ko');
    await waitUntil(() => q(seller, '[part~="address-count"]'), "the seller's count");
    expect(textOf(q(seller, '[part~="address-count"]'))).to.equal('배송지 1명 입력');
    expect(textOf(q(seller, '[part~="csv-button"]'))).to.equal('CSV 내려받기');
    expect(q(seller, '[part~="address-button"]')).to.equal(null);

    // Edit keeps the saved values in the fields; Delete forgets the address.
    (q(minji, '[part~="address-edit"]') as HTMLButtonElement).click();
    await waitUntil(() => q(minji, '#address-recipient'), 'the form again');
    expect(field(minji, 'recipient').value).to.equal('김민지');
    expect(field(minji, 'phone').value).to.equal('010-1234-5678');
    await fill(minji, { memo: '문 앞에 놓아 주세요' });
    await save(minji);
    await waitUntil(() => q(minji, '[part~="address-saved"]'), 'saved again');
    expect(textOf(q(minji, '[part~="address-saved"]'))).to.contain('문 앞에 놓아 주세요');
    (q(minji, '[part~="address-delete"]') as HTMLButtonElement).click();
    await waitUntil(() => q(minji, '#address-recipient') && field(minji, 'recipient').value === '', 'the empty form');
    expect(await me.address.get()).to.equal(null);

    // Escape closes it, the focus goes back to the button.
    field(minji, 'recipient').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => form(minji) === null, 'the form to close');
    await minji.updateComplete;
    expect(minji.shadowRoot!.activeElement).to.equal(q(minji, '[part~="address-button"]'));
  });

  it('points a buyer whose message had a phone number masked to the form, privately', async () => {
    const minji = await openAs(room.server, P, PEOPLE.minji, 'en');
    await send(minji, 'call me at 010-1234-5678');
    await waitUntil(() => q(minji, '[part~="pii-hint"]'), 'the private hint');
    expect(textOf(q(minji, '[part~="pii-hint"] .banner-text'))).to.equal(
      'Please send phone numbers and addresses with the shipping address form',
    );
    const seller = await openAs(room.server, P, PEOPLE.seller, 'en');
    expect(q(seller, '[part~="pii-hint"]')).to.equal(null); // only the sender is told
    q(minji, '[part~="pii-hint"] .link-button')!.click();
    await waitUntil(() => q(minji, '#address-recipient'), 'the form');
    expect(q(minji, '[part~="pii-hint"]')).to.equal(null);
  });

  it('tells a watcher whose message was masked that joining lets them give an address, and the seller only what happened', async () => {
    const watcher = await openAs(room.server, P, PEOPLE.watcher, 'en');
    await send(watcher, 'my number is 010-9876-5432');
    await waitUntil(() => q(watcher, '[part~="pii-hint"]'), "the watcher's hint");
    expect(textOf(q(watcher, '[part~="pii-hint"] .banner-text'))).to.equal(
      'Phone numbers and addresses are hidden in the chat. Join the deal to give your shipping address privately',
    );
    expect(q(watcher, '[part~="pii-hint"] .link-button')).to.equal(null); // no form for a watcher
    const seller = await openAs(room.server, P, PEOPLE.seller, 'ko');
    await send(seller, '문의는 010-1111-2222 로 주세요');
    await waitUntil(() => q(seller, '[part~="pii-hint"]'), "the seller's hint");
    expect(textOf(q(seller, '[part~="pii-hint"] .banner-text'))).to.equal('전화번호·주소는 채팅에서 가려져요');
    expect(q(seller, '[part~="pii-hint"] .link-button')).to.equal(null);
  });
});
