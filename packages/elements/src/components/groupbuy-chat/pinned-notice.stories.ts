import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { elementArgTypes, type ElementArgs, PEOPLE, PRODUCT_ID, prepare } from '../../test-support/story-kit.js';
import { moderationStory } from './moderation-story-kit.js';
import { pinnedStorageKey } from './pinned-notice.js';

// Issue 11's pinned notice under the header (Markdown, like every notice), open and folded; the seller
// sees Unpin on it.

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Pinned notice',
  argTypes: elementArgTypes,
  args: { lang: 'ko', theme: 'auto' },
};
export default meta;

function pinned(args: ElementArgs, folded: boolean, user = PEOPLE.minji) {
  const story = moderationStory();
  sessionStorage.removeItem(pinnedStorageKey(PRODUCT_ID));
  void story.post(null, '오늘 자정까지 주문하시면 **무료 배송**이에요 🍊').then(async (notice) => {
    await story.call(PEOPLE.seller, 'PUT', '/pin', { seq: notice.seq });
    // The reader folded this notice earlier in the tab.
    if (folded) await prepare(story.server, async () => sessionStorage.setItem(pinnedStorageKey(PRODUCT_ID), String(notice.seq)));
  });
  return story.widget(user, args);
}

/** Open: the whole notice under the header. */
export const Open: StoryObj<ElementArgs> = { render: (args) => pinned(args, false) };

/** Folded to its first line (remembered per room for the tab). */
export const Collapsed: StoryObj<ElementArgs> = { render: (args) => pinned(args, true) };

/** The seller's view: Unpin on the notice. */
export const SellerUnpin: StoryObj<ElementArgs> = { render: (args) => pinned(args, false, PEOPLE.seller) };
