import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { StoryObj } from '@storybook/web-components-vite';
import type { TemplateResult } from 'lit';
import type { ElementArgs } from '../../test-support/story-kit.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import * as stories from './launcher.stories.js';

// Every launcher story shows the state it names, on the in-page server.

const OPTIONS = { timeout: 10000 };
let shown: HTMLElement | undefined;

// One story at a time, as Storybook shows them: the previous one goes before the next renders.
async function show(story: StoryObj<ElementArgs>, args: Partial<ElementArgs> = {}): Promise<GroupbuyChat> {
  shown?.remove();
  const template = story.render!({ lang: 'ko', theme: 'light', ...story.args, ...args }, {} as never) as TemplateResult;
  shown = await fixture<HTMLElement>(html`<div>${template}</div>`);
  const chat = shown.querySelector('groupbuy-chat')!;
  await waitUntil(() => chat.renderRoot.querySelector('[part="launcher"]'), 'the launcher', OPTIONS);
  return chat;
}

const q = (el: GroupbuyChat, selector: string): HTMLElement | null => el.renderRoot.querySelector<HTMLElement>(selector);
const text = (node: Element | null): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

afterEach(() => localStorage.clear());
after(() => shown?.remove());

describe('launcher stories', () => {
  it('ClosedWithBadge counts the unread conversation; ClosedNothingUnread shows no badge', async () => {
    let el = await show(stories.ClosedWithBadge);
    await waitUntil(() => /^\d+$/.test(text(q(el, '[part="launcher-badge"]'))), 'the badge', OPTIONS);
    expect(q(el, '[part="launcher-ring"]')!.getAttribute('aria-label')).to.equal('6/10명 참여');
    expect(el.open).to.equal(false);

    el = await show(stories.ClosedNothingUnread);
    await waitUntil(
      () => el.renderRoot.querySelector('#launcher-progress')?.getAttribute('aria-label') === '6/10명 참여',
      'the ring',
      OPTIONS,
    );
    await waitUntil(() => q(el, '[part="launcher-badge"]') === null, 'no badge', OPTIONS);
  });

  it('OpenDesktop and DarkOpen show the chat in the panel; Dark is dark', async () => {
    for (const story of [stories.OpenDesktop, stories.OpenPhone, stories.DarkOpen]) {
      const el = await show(story);
      expect(el.open).to.equal(true);
      await waitUntil(() => q(el, '[part="launcher-panel"] .log .row'), 'the conversation in the panel', OPTIONS);
    }
    const el = await show(stories.Dark);
    expect(el.getAttribute('theme')).to.equal('dark');
  });
});
