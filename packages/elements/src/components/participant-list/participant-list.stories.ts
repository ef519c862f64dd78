import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { MemoryRoomInit } from '@groupbuy/sdk/memory';
import '../../define/participant-list.js';
import { PEOPLE, PRODUCT_ID, onStoryReset, resetStories, sampleRoom, storyBackend, storyClient } from '../../test-support/story-kit.js';

interface ListArgs {
  lang: 'ko' | 'en';
  theme: 'light' | 'dark' | 'auto';
}

function list(args: ListArgs, room: (now: number) => MemoryRoomInit = (now) => sampleRoom(now), play = false): TemplateResult {
  resetStories();
  const backend = storyBackend();
  backend.addRoom(room(backend.now()));
  const client = storyClient(backend, PEOPLE.seojun);
  if (play) {
    const playback = backend.playDeal(PRODUCT_ID, { stepMs: 1500 });
    onStoryReset(() => playback.stop());
  }
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
  argTypes: {
    lang: { control: 'inline-radio', options: ['ko', 'en'] },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  },
};
export default meta;

type Story = StoryObj<ListArgs>;

/** Six buyers; the reader (서준) is marked. */
export const Buyers: Story = { render: (args) => list(args) };

/** The seller joined their own deal: marked as seller. */
export const WithSeller: Story = {
  args: { lang: 'en' },
  render: (args) => list(args, (now) => sampleRoom(now, { participants: [PEOPLE.seller, PEOPLE.seojun, PEOPLE.alex] })),
};

/** Nobody has joined yet. */
export const Empty: Story = { render: (args) => list(args, (now) => sampleRoom(now, { participants: [] })) };

/** Buyers arriving live until the deal is full. */
export const Live: Story = {
  render: (args) => list(args, (now) => sampleRoom(now, { participants: [PEOPLE.seojun], maxParticipants: 6 }), true),
};

/** Dark theme. */
export const Dark: Story = {
  args: { theme: 'dark' },
  decorators: [(story) => html`<div style="background: #0e0f12; padding: 16px; border-radius: 12px;">${story()}</div>`],
  render: (args) => list(args),
};
