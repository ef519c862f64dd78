import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { DealScript, RoomSeed, TestUser } from '@groupbuy/testing';
import '../../define/participant-list.js';
import {
  elementArgTypes,
  type ElementArgs,
  PEOPLE,
  PRODUCT_ID,
  realServerStory,
  WATCHERS,
  prepare,
  resetStories,
  sampleRoom,
  storyClient,
  storyDeal,
  storyServer,
} from '../../test-support/story-kit.js';

type ListArgs = ElementArgs;

/** The tangerine deal with three people watching: two shoppers and the seller, who has not joined. */
const withWatchers = (now: number): RoomSeed => sampleRoom(now, { viewers: [WATCHERS[0]!, PEOPLE.seller, WATCHERS[1]!, PEOPLE.alex] });

function list(
  args: ListArgs,
  room: (now: number) => RoomSeed = withWatchers,
  options: { reader?: TestUser; play?: DealScript } = {},
): TemplateResult {
  resetStories();
  const real = realServerStory('participant-list', args);
  if (real) return real;
  const backend = storyServer();
  void prepare(backend, () => backend.addRoom(room(backend.now())));
  const client = storyClient(backend, options.reader ?? PEOPLE.seojun);
  if (options.play) storyDeal(backend, PRODUCT_ID, options.play);
  return html`<participant-list
    product-id=${PRODUCT_ID}
    lang=${args.lang}
    theme=${args.theme === 'auto' ? '' : args.theme}
    .client=${client}
  ></participant-list>`;
}

const meta: Meta<ListArgs> = {
  title: 'Elements/participant-list',
  component: 'participant-list',
  args: { lang: 'ko', theme: 'light' },
  argTypes: elementArgTypes,
};
export default meta;

type Story = StoryObj<ListArgs>;

/**
 * Six buyers, the reader (서준) marked; apart from them, who is watching right now: two shoppers and the
 * seller (marked), but not Alex, who has the chat open as a buyer.
 */
export const BuyersAndWatchers: Story = { render: (args) => list(args) };

/** The reader (민지) reads along without having joined: marked among the watchers. */
export const ReaderWatching: Story = {
  args: { lang: 'en' },
  render: (args) => list(args, withWatchers, { reader: PEOPLE.minji }),
};

/** Only buyers have the chat open: nobody is watching. */
export const NobodyWatching: Story = { render: (args) => list(args, (now) => sampleRoom(now, { viewers: [PEOPLE.alex] })) };

/** The seller joined their own deal: marked as seller. */
export const WithSeller: Story = {
  args: { lang: 'en' },
  render: (args) => list(args, (now) => sampleRoom(now, { participants: [PEOPLE.seller, PEOPLE.seojun, PEOPLE.alex] })),
};

/** Nobody has joined yet; the reader is watching. */
export const Empty: Story = { render: (args) => list(args, (now) => sampleRoom(now, { participants: [] })) };

/**
 * Buyers arriving live until the deal is full: the three watchers join one by one and move over to the
 * buyers, two more join without having watched; when the deal closes nobody is left watching.
 */
export const Live: Story = {
  render: (args) =>
    list(args, (now) => sampleRoom(now, { participants: [PEOPLE.seojun], maxParticipants: 6, viewers: WATCHERS }), {
      play: { stepMs: 1500, buyers: [...WATCHERS, { userId: 'u-noa', name: 'Noa' }, { userId: 'u-seoa', name: '서아' }] },
    }),
};

/** Dark theme. */
export const Dark: Story = {
  args: { theme: 'dark' },
  decorators: [(story) => html`<div style="background: #0e0f12; padding: 16px; border-radius: 12px;">${story()}</div>`],
  render: (args) => list(args),
};
