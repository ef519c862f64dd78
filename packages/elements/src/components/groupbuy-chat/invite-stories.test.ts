import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { TemplateResult } from 'lit';
import type { ElementArgs } from '../../test-support/story-kit.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import * as invite from './invite-button.stories.js';
import * as stats from './host-stats.stories.js';

// Every invite and host-stats story shows the state it names, on the in-page server (the clipboard is
// granted in this browser context, see web-test-runner.config.mjs).

const OPTIONS = { timeout: 10000 };
let shown: HTMLElement | undefined;

// One story at a time, as Storybook shows them: the previous one goes before the next renders.
async function show(story: StoryObj<ElementArgs>, meta: Meta<ElementArgs>): Promise<GroupbuyChat> {
  shown?.remove();
  const render = story.render ?? meta.render;
  const template = render!({ lang: 'ko', theme: 'light', ...story.args }, {} as never) as TemplateResult;
  shown = await fixture<HTMLElement>(html`<div>${template}</div>`);
  return shown.querySelector('groupbuy-chat')!;
}

const q = (el: GroupbuyChat, selector: string): HTMLElement | null => el.renderRoot.querySelector<HTMLElement>(selector);
const text = (node: Element | null): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const lines = (el: GroupbuyChat): string[] => [...el.renderRoot.querySelectorAll('.row.system')].map(text);

afterEach(() => localStorage.clear());
after(() => shown?.remove());

describe('invite and host stats stories', () => {
  it('Invite: Idle offers "친구 초대", Copied says the link was copied, JoinedViaInvite names Minji', async () => {
    let el = await show(invite.Idle, invite.default);
    await waitUntil(() => text(q(el, '[part~="invite-button"]')) === '친구 초대', 'the invite button', OPTIONS);
    el = await show(invite.Copied, invite.default);
    await waitUntil(() => text(q(el, '[part~="invite-status"]')) === '링크를 복사했어요', 'link copied', OPTIONS);
    el = await show(invite.JoinedViaInvite, invite.default);
    await waitUntil(
      () => lines(el).some((l) => l.startsWith('유나님이 민지님 초대로')) && lines(el).some((l) => l.startsWith('Tom님이 민지님 초대로')),
      'the JOINED lines',
      OPTIONS,
    );
  });

  it('Host stats: Numbers shows the played funnel; Loading waits; Failed says why', async () => {
    let el = await show(stats.Numbers, stats.default);
    await waitUntil(() => q(el, '[data-stat="joiners"]'), 'the numbers', OPTIONS);
    // Minji, Alex, 서준, Priya and 유나 joined (three through Minji's link, one through Alex's); 서준 left.
    expect(text(q(el, '[data-stat="joiners"]'))).to.equal('5');
    expect(text(q(el, '[data-stat="leavers"]'))).to.equal('1');
    expect([...el.renderRoot.querySelectorAll('[part~="stats-inviters"] li')].map(text)).to.deep.equal(['민지 3명 참여', 'Alex 1명 참여']);
    expect((q(el, '.spark-line')!.getAttribute('points') ?? '').split(' ')).to.have.length(6);
    el = await show(stats.Loading, stats.default);
    await waitUntil(() => q(el, '[part~="stats-panel"]')?.getAttribute('aria-busy') === 'true', 'the loading view', OPTIONS);
    expect(q(el, '[data-stat="joiners"]')).to.equal(null);
    el = await show(stats.Failed, stats.default);
    await waitUntil(() => q(el, '[part~="stats-error"]'), 'the error', OPTIONS);
    expect(q(el, '[part~="error-banner"]')).not.to.equal(null);
  });
});
