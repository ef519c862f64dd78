import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { elementArgTypes, type ElementArgs, PEOPLE } from '../../test-support/story-kit.js';
import { moderationStory } from './moderation-story-kit.js';

// Issue 11's moderation states on the real core in the page: a deleted message, a muted buyer, slow mode's
// countdown on the send button, a message the PII guard masked, and the seller's menu open on a buyer's message.

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Moderation',
  argTypes: elementArgTypes,
  args: { lang: 'ko', theme: 'auto' },
};
export default meta;

/** The seller deleted Alex's message: its bubble says so, with no content and no menu. */
export const DeletedMessage: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    void story.post(PEOPLE.alex, '싸게 팝니다 연락 주세요').then((m) => story.call(PEOPLE.seller, 'DELETE', `/messages/${m.seq}`));
    return story.widget(PEOPLE.minji, args);
  },
};

/** The seller muted Minji for an hour: her composer is disabled until then, and comes back by itself. */
export const MutedComposer: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    // While Minji has the chat open: the mute reaches her as a private notice.
    story.whenLoaded(
      'moderation-story',
      () => void story.call(PEOPLE.seller, 'POST', '/mutes', { userId: PEOPLE.minji.userId, durationMs: 60 * 60_000 }),
    );
    return story.widget(PEOPLE.minji, args, 'moderation-story');
  },
};

/** Slow mode (one message every 30 s): Minji just sent one, the send button counts down. */
export const SlowModeCountdown: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    void story.call(PEOPLE.seller, 'PUT', '/slow-mode', { slowModeMs: 30_000 });
    // Minji sends from the widget once it is open (the cooldown starts from her own send).
    story.whenLoaded('moderation-story', () => {
      const input = document.getElementById('moderation-story')?.shadowRoot?.querySelector('textarea');
      if (!input) return;
      input.value = '몇 시에 출고되나요?';
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    return story.widget(PEOPLE.minji, args, 'moderation-story');
  },
};

/**
 * The PII guard: Minji typed her phone number into the chat. Everyone (her too) sees it masked
 * (010-****-5678), and she alone gets the hint that points to the shipping-address form.
 */
export const MaskedMessage: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    story.whenLoaded('moderation-story', () => {
      const input = document.getElementById('moderation-story')?.shadowRoot?.querySelector('textarea');
      if (!input) return;
      input.value = '제 번호 010-1234-5678 로 연락 주세요';
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    return story.widget(PEOPLE.minji, args, 'moderation-story');
  },
};

/** The seller's menu open on a buyer's message: Delete, Mute for 10 min / 1 h / 24 h; the slow-mode selector above. */
export const HostMenuOpen: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    void story.post(PEOPLE.alex, '다른 데서 더 싸게 팔던데요?');
    // The last message's menu button is the buyer's message just posted.
    story.openLastMenu('moderation-story');
    return story.widget(PEOPLE.seller, args, 'moderation-story');
  },
};

/** A buyer's menu on someone else's message: Report, then the reason form. */
export const ReportForm: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    void story.post(PEOPLE.alex, '광고 보고 연락 주세요');
    story.openLastMenu('moderation-story', (root) => root.querySelector<HTMLButtonElement>('[role="menuitem"]')?.click());
    return story.widget(PEOPLE.minji, args, 'moderation-story');
  },
};
