import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import {
  elementArgTypes,
  type ElementArgs,
  HOUR,
  MINUTE,
  PEOPLE,
  PRODUCT_ID,
  prepare,
  prepared,
  realServerStory,
  resetStories,
  storyClick,
  storyClient,
  storyServer,
} from '../../test-support/story-kit.js';

// The seller's stats view (issue 12), opened from the header's "통계" button: the numbers and the sparkline
// after a played deal, the view while the server has not answered, and the view when the request failed.

const SHOPPERS: TestUser[] = [
  PEOPLE.minji,
  PEOPLE.alex,
  PEOPLE.seojun,
  PEOPLE.priya,
  { userId: 'u-yuna', name: '유나' },
  { userId: 'u-tom', name: 'Tom' },
];

/**
 * Six shoppers open the chat; over the next hour, on a clock moved forward by the story, four join
 * (three through Minji's or Alex's links), one leaves and they chat.
 */
async function playDealFunnel(backend: InProcessServer): Promise<void> {
  const sessions = await Promise.all(
    SHOPPERS.map(async (user) => {
      const session = storyClient(backend, user).room(PRODUCT_ID);
      await session.ready();
      return session;
    }),
  );
  const [minji, alex, seojun, priya, yuna, tom] = sessions;
  if (!minji || !alex || !seojun || !priya || !yuna || !tom) return;
  const minjiCode = (await minji.invite()).code;
  const alexCode = (await alex.invite()).code;
  const step = async (minutes: number, action: () => Promise<unknown>): Promise<void> => {
    await backend.advance(minutes * MINUTE);
    await action();
  };
  await step(4, () => minji.join());
  minji.send('배송은 언제 시작하나요?');
  await step(9, () => alex.join({ ref: minjiCode }));
  await step(6, () => seojun.join({ ref: minjiCode }));
  seojun.send('5kg이면 몇 개쯤인가요?');
  await step(12, () => seojun.leave());
  await step(7, () => priya.join({ ref: alexCode }));
  priya.send('Joined! Thanks Alex');
  await step(15, () => yuna.join({ ref: minjiCode }));
}

function story(args: ElementArgs, setup: { hold?: boolean; fail?: boolean } = {}): TemplateResult {
  resetStories();
  const real = realServerStory('groupbuy-chat', args);
  if (real) return real;
  const backend = storyServer();
  const now = backend.now();
  void prepare(backend, () =>
    backend.addRoom({
      productId: PRODUCT_ID,
      title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
      maxParticipants: 6,
      minParticipants: 3,
      createdAt: now,
      expiresAt: now + 6 * HOUR,
      hostId: PEOPLE.seller.userId,
      participants: [],
    }),
  );
  // `hold`: the stats request goes unanswered, everything else reaches the server.
  const held: typeof fetch = (input, init) =>
    (input instanceof Request ? input.url : String(input)).endsWith('/stats')
      ? new Promise<Response>(() => {})
      : backend.fetch(input, init);
  const client = storyClient(backend, PEOPLE.seller, setup.hold ? { fetch: held } : {});
  void prepared(backend)
    .then(() => playDealFunnel(backend))
    .then(() => {
      if (setup.fail) backend.disconnect({ rest: true });
      storyClick('stats-story', 'stats-button');
    });
  return html`<groupbuy-chat
    id="stats-story"
    product-id=${PRODUCT_ID}
    lang=${args.lang}
    theme=${args.theme === 'auto' ? '' : args.theme}
    style="height: 640px"
    .client=${client}
  ></groupbuy-chat>`;
}

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Host stats',
  argTypes: elementArgTypes,
  args: { lang: 'ko', theme: 'auto' },
  render: (args) => story(args),
};
export default meta;

type Story = StoryObj<ElementArgs>;

/** Viewers, chatters, joins and leaves, messages per minute, view→join, the top inviters and the sparkline. */
export const Numbers: Story = {};

/** The server has not answered yet (the stats request is held back here; everything else is live). */
export const Loading: Story = { render: (args) => story(args, { hold: true }) };

/** The request failed (the server is unreachable): the view says so, and so does the error banner. */
export const Failed: Story = { render: (args) => story(args, { fail: true }) };
