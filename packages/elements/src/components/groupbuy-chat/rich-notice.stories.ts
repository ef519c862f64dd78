import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../../define/groupbuy-chat.js';
import {
  elementArgTypes,
  type ElementArgs,
  MINUTE,
  PEOPLE,
  PRODUCT_ID,
  prepare,
  resetStories,
  sampleHistory,
  sampleRoom,
  storyClient,
  storyServer,
} from '../../test-support/story-kit.js';

// A seller's notice in light Markdown (bold, italics, a list, links, line breaks), rendered by the lazily
// loaded Markdown module and sanitised by DOMPurify; a buyer's message with a link beside it. The last
// notice carries markup that must not run: it shows as its harmless remainder.

const NOTICE = [
  '**Shipping update** — the orchard picks *tomorrow morning*:',
  '',
  '- boxes leave Jeju at 2 pm',
  '- tracking numbers by text',
  '',
  'Questions: [our FAQ](https://shop.example/faq) or mailto:help@shop.example',
].join('\n');

function story(args: ElementArgs): TemplateResult {
  resetStories();
  const server = storyServer();
  const client = storyClient(server, PEOPLE.minji);
  const now = server.now();
  const seed = sampleRoom(now, {
    messages: [
      ...sampleHistory(now),
      { sender: null, type: 'NOTIFICATION', content: NOTICE, createdAt: now - 20 * MINUTE },
      { sender: PEOPLE.alex, content: 'Found the reviews here: https://shop.example/reviews?p=1 (thanks!)', createdAt: now - 10 * MINUTE },
      {
        sender: null,
        type: 'NOTIFICATION',
        content: 'Sanitised: <img src=x onerror=alert(1)> <a href="javascript:alert(1)">**not a link**</a>',
        createdAt: now - 5 * MINUTE,
      },
    ],
  });
  void prepare(server, () => server.addRoom(seed));
  const theme = args.theme === 'auto' ? '' : args.theme;
  return html`<groupbuy-chat product-id=${PRODUCT_ID} lang=${args.lang} theme=${theme} .client=${client}></groupbuy-chat>`;
}

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Rich notice',
  argTypes: elementArgTypes,
  args: { lang: 'en', theme: 'auto' },
  render: (args) => story(args),
};
export default meta;

export const MarkdownNotice: StoryObj<ElementArgs> = {};
