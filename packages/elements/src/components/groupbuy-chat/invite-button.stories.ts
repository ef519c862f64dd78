import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import {
  elementArgTypes,
  type ElementArgs,
  PEOPLE,
  PRODUCT_ID,
  prepare,
  prepared,
  realServerStory,
  resetStories,
  sampleRoom,
  storyClient,
  storyClick,
  storyLater,
  storyServer,
} from '../../test-support/story-kit.js';

// "친구 초대" (issue 12): the header button at rest, the moment after it copied the link, and the JOINED
// lines of shoppers who came through Minji's link. Everything goes through the real core in the page.

function story(args: ElementArgs, after?: (backend: InProcessServer) => void): TemplateResult {
  resetStories();
  const real = realServerStory('groupbuy-chat', args);
  if (real) return real;
  const backend = storyServer();
  void prepare(backend, () => backend.addRoom(sampleRoom(backend.now())));
  const client = storyClient(backend, PEOPLE.minji);
  after?.(backend);
  return html`<groupbuy-chat
    id="invite-story"
    product-id=${PRODUCT_ID}
    lang=${args.lang}
    theme=${args.theme === 'auto' ? '' : args.theme}
    .client=${client}
  ></groupbuy-chat>`;
}

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Invite',
  argTypes: elementArgTypes,
  args: { lang: 'ko', theme: 'auto' },
  render: (args) => story(args),
};
export default meta;

type Story = StoryObj<ElementArgs>;

/** A signed-in shopper of an open deal: "친구 초대" beside the buyers button. */
export const Idle: Story = {};

/**
 * After a click: the link (this page's URL with Minji's `gb_ref`) is on the clipboard and "링크를
 * 복사했어요" shows for 4 s. Where the browser has a share sheet it opens instead; where the clipboard is
 * refused the link shows in a field to copy by hand.
 */
export const Copied: Story = { render: (args) => story(args, () => storyClick('invite-story', 'invite-button')) };

/** Two shoppers opened Minji's link and joined: their JOINED lines name her. */
export const JoinedViaInvite: Story = {
  render: (args) =>
    story(args, (backend) => {
      void prepared(backend).then(async () => {
        const minji = storyClient(backend, PEOPLE.minji).room(PRODUCT_ID);
        await minji.ready();
        const { code } = await minji.invite();
        const friends: TestUser[] = [
          { userId: 'u-yuna', name: '유나' },
          { userId: 'u-tom', name: 'Tom' },
        ];
        for (const [i, friend] of friends.entries()) {
          storyLater(600 + i * 900, () => {
            const session = storyClient(backend, friend).room(PRODUCT_ID);
            void session.ready().then(() => session.join({ ref: code }));
          });
        }
      });
    }),
};
