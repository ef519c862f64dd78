import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../../define/groupbuy-chat.js';
import {
  elementArgTypes,
  type ElementArgs,
  PEOPLE,
  prepare,
  realServerStory,
  resetStories,
  sampleRoom,
  storyClient,
  storyLater,
  storyServer,
} from '../../test-support/story-kit.js';

// <groupbuy-chat mode="launcher"> (issue 12) in the corner of a product page, on the real core in the page.
// Minji has never opened this deal's chat, so the sample conversation is unread until she does.

/**
 * The launcher on the tangerine deal (6 of 10 joined), closed or `open`; `read` marks everything read
 * first (the badge hidden). Five seconds in, the seller posts a notice: a closed launcher counts it.
 */
function launcher(args: ElementArgs, options: { open?: boolean; read?: boolean } = {}): TemplateResult {
  resetStories();
  const real = realServerStory('groupbuy-chat', args);
  if (real) return real;
  const backend = storyServer();
  const seed = sampleRoom(backend.now());
  void prepare(backend, () => backend.addRoom(seed));
  const client = storyClient(backend, PEOPLE.minji);
  if (options.read) {
    // After the seeding (the client's token waits for it), as the reader who saw it all.
    const session = client.room(seed.productId);
    void session.ready().then(() => session.markRead());
  }
  storyLater(5000, () => void backend.post(seed.productId, { sender: null, content: '오늘 오후 2시에 출고됩니다. 🍊' }));
  return html`<p style="max-width: 36em">
      제주 노지 감귤 5kg — 상품 페이지. The chat floats in the corner: press it to open, Escape or ✕ to close.
    </p>
    <groupbuy-chat
      mode="launcher"
      ?open=${options.open ?? false}
      product-id=${seed.productId}
      lang=${args.lang}
      theme=${args.theme === 'auto' ? '' : args.theme}
      .client=${client}
    ></groupbuy-chat>`;
}

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Launcher',
  component: 'groupbuy-chat',
  args: { lang: 'ko', theme: 'light' },
  argTypes: elementArgTypes,
  // The launcher is fixed to the window's corner: the story is the whole canvas.
  parameters: { layout: 'fullscreen', docs: { story: { inline: false, height: '720px' } } },
};
export default meta;

type Story = StoryObj<ElementArgs>;

/** Closed, with the unread badge: the conversation Minji has not seen yet, and the ring at 6/10. */
export const ClosedWithBadge: Story = { render: (args) => launcher(args) };

/** Closed with everything read: no badge, only the ring. */
export const ClosedNothingUnread: Story = { render: (args) => launcher(args, { read: true }) };

/** Open on a wide screen: the chat in a panel above the button. */
export const OpenDesktop: Story = { render: (args) => launcher(args, { open: true }) };

/** Open on a phone (≤ 480 px wide): the chat takes the whole screen, with a close button. */
export const OpenPhone: Story = {
  render: (args) => launcher(args, { open: true }),
  globals: { viewport: { value: 'mobile2', isRotated: false } },
};

/** The dark theme, closed with the badge. */
export const Dark: Story = { args: { theme: 'dark' }, render: (args) => launcher(args) };

/** The dark theme, open. */
export const DarkOpen: Story = { args: { theme: 'dark' }, render: (args) => launcher(args, { open: true }) };
