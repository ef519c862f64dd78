import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import {
  elementArgTypes,
  type ElementArgs,
  MINUTE,
  PEOPLE,
  PRODUCT_ID,
  prepare,
  resetStories,
  sampleRoom,
  storyClient,
  storyDeal,
  storyServer,
} from '../../test-support/story-kit.js';

// A whole deal on the real server core in the page (@groupbuy/testing): what the buttons do goes through
// the same RoomService, store, hub and scheduler as a shopper's request, so the widget shows what a shopper
// would see — joins, the count, the countdown, the close at the cap or the cancel at the deadline.

type SimArgs = ElementArgs & {
  /** Buyers needed by the deadline. */
  minParticipants: number;
  /** Minutes left on the countdown when the story opens. */
  minutesLeft: number;
};

const READER: TestUser = PEOPLE.minji;
const NAMES = ['하윤', 'Ethan', '지호', 'Noa', '서아', 'Liam', '예준', 'Zoe', '수아', 'Kai'];

/** The chat as a buyer (민지), with the driver's controls beside it. */
function simulator(args: SimArgs, play?: { ending: 'FILLED' | 'CANCELLED' }): TemplateResult {
  resetStories();
  const server = storyServer();
  const client = storyClient(server, READER);
  const seed = sampleRoom(server.now(), {
    maxParticipants: 6,
    minParticipants: Math.min(args.minParticipants, 6),
    expiresAt: server.now() + args.minutesLeft * MINUTE,
    participants: [
      { ...READER, joinedAt: server.now() - 20 * MINUTE },
      { ...PEOPLE.alex, joinedAt: server.now() - 15 * MINUTE },
    ],
    messages: [
      { sender: null, content: '공동구매가 시작되었습니다. 6명이 모이면 바로 발송해 드려요! 🍊', createdAt: server.now() - 25 * MINUTE },
    ],
  });
  void prepare(server, () => server.addRoom(seed));
  if (play) storyDeal(server, PRODUCT_ID, { ending: play.ending, stepMs: 1200 });
  const theme = args.theme === 'auto' ? '' : args.theme;
  return html`<div style="display: grid; grid-template-columns: minmax(320px, 420px) 220px; gap: 16px; align-items: start;">
    <groupbuy-chat product-id=${PRODUCT_ID} lang=${args.lang} theme=${theme} .client=${client}></groupbuy-chat>
    ${play ? html`<p style="font: 13px/1.5 system-ui; margin: 0;">Playing to ${play.ending}…</p>` : controls(server, client)}
  </div>`;
}

function controls(server: InProcessServer, client: ReturnType<typeof storyClient>): TemplateResult {
  let joined = 0;
  const act = (fn: () => Promise<unknown>) => () =>
    void fn().catch((err: unknown) => {
      // A refusal the deal gives (full, closed) is part of the play; it shows in the console.
      console.info('the deal refused:', err instanceof Error ? err.message : err);
    });
  // The widget reads the server's clock from REST answers: reconnecting re-reads it, so the jump shows at once.
  const skip = (ms: number) =>
    act(async () => {
      await server.advance(ms);
      client.reconnect();
    });
  const toDeadline = act(async () => {
    const room = await server.getRoom(PRODUCT_ID);
    if (room) await server.advance(Math.max(0, Date.parse(room.expiresAt) - server.now()));
    client.reconnect();
  });
  const buyer = (): TestUser => {
    joined += 1;
    return { userId: `sim-buyer-${joined}`, name: NAMES[(joined - 1) % NAMES.length] ?? `Buyer ${joined}` };
  };
  const button = (label: string, onClick: () => void): TemplateResult =>
    html`<button type="button" style="font: 13px system-ui; padding: 6px 10px; text-align: start;" @click=${onClick}>${label}</button>`;
  return html`<div role="group" aria-label="Deal controls" style="display: grid; gap: 6px;">
    ${button(
      'A buyer joins',
      act(() => server.join(PRODUCT_ID, buyer())),
    )}
    ${button(
      'The last buyer leaves',
      act(async () => (joined > 0 ? server.leave(PRODUCT_ID, `sim-buyer-${joined--}`) : undefined)),
    )}
    ${button(
      'Someone asks a question',
      act(() => server.post(PRODUCT_ID, { sender: PEOPLE.priya, content: 'Is the shipping included?' })),
    )}
    ${button(
      'The seller posts a notice',
      act(() => server.post(PRODUCT_ID, { sender: null, content: '내일 오전 출고 예정입니다.' })),
    )}
    ${button('Skip 10 minutes', skip(10 * MINUTE))}
    ${button('Skip to the deadline', toDeadline)}
    ${button('The connection drops for 3 s', () => {
      server.disconnect();
      setTimeout(() => server.reconnect(), 3000);
    })}
    ${button(
      'The seller cancels',
      act(() => server.setStatus(PRODUCT_ID, 'CANCELLED')),
    )}
  </div>`;
}

const meta: Meta<SimArgs> = {
  title: 'Elements/groupbuy-chat/Deal simulator',
  component: 'groupbuy-chat',
  // The element's docs page is the groupbuy-chat one; these are plays of a deal.
  tags: ['!autodocs'],
  args: { lang: 'ko', theme: 'light', minParticipants: 4, minutesLeft: 30 },
  argTypes: {
    lang: elementArgTypes.lang,
    theme: elementArgTypes.theme,
    minParticipants: { control: { type: 'range', min: 1, max: 6, step: 1 } },
    minutesLeft: { control: { type: 'range', min: 1, max: 180, step: 1 } },
  },
};
export default meta;

type Story = StoryObj<SimArgs>;

/**
 * Drive the deal yourself: buyers join (the sixth fills it: CLOSED), leave, ask; skip the clock ahead
 * (the countdown and the scheduler follow) or straight to the deadline — CLOSED with enough buyers,
 * CANCELLED without; drop the connection; cancel as the seller. `minutesLeft` sets the countdown.
 */
export const Simulator: Story = { render: (args) => simulator(args) };

/** Plays itself: buyers join one by one until the sixth fills the deal (ACTIVE → CLOSED, reason FILLED). */
export const PlayToFilled: Story = { render: (args) => simulator(args, { ending: 'FILLED' }) };

/** Plays itself: a buyer joins, short of the minimum, then the deadline passes (ACTIVE → CANCELLED). */
export const PlayToCancelled: Story = { render: (args) => simulator(args, { ending: 'CANCELLED' }) };
