import { html, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { InProcessServer, InProcessServerOptions, RoomSeed, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import {
  elementArgTypes,
  type ElementArgs,
  MINUTE,
  PEOPLE,
  PRODUCT_ID,
  realServerStory,
  prepare,
  resetStories,
  sampleRoom,
  storyClient,
  storyDeal,
  storyLater,
  storyServer,
  WATCHERS,
} from '../../test-support/story-kit.js';

type ChatArgs = ElementArgs;

const READER: TestUser = PEOPLE.minji;

/**
 * Opens the chat of `room` as `user` on a fresh in-process server (the real core in the page, made with
 * `server`); `after` gets the server and the session once it is loaded.
 */
function chat(
  args: ChatArgs,
  setup: {
    server?: InProcessServerOptions;
    room?: (now: number) => RoomSeed;
    user?: TestUser;
    online?: boolean;
    ackTimeoutMs?: number;
    style?: string;
    token?: (backend: InProcessServer) => Promise<string>;
  } = {},
  after?: (backend: InProcessServer, session: ReturnType<ReturnType<typeof storyClient>['room']>) => void,
): TemplateResult {
  resetStories();
  const real = realServerStory('groupbuy-chat', args);
  if (real) return real;
  const backend = storyServer(setup.server);
  const init = (setup.room ?? ((now) => sampleRoom(now)))(backend.now());
  void prepare(backend, async () => {
    if (!(await backend.getRoom(init.productId))) await backend.addRoom(init);
  });
  const client = storyClient(backend, setup.user ?? READER, {
    ...(setup.token ? { token: setup.token(backend) } : {}),
    ...(setup.online === undefined ? {} : { online: setup.online }),
    ...(setup.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: setup.ackTimeoutMs }),
  });
  if (after) {
    const session = client.room(init.productId);
    void session.ready().then(() => after(backend, session));
  }
  return html`<groupbuy-chat
    product-id=${init.productId}
    lang=${args.lang}
    theme=${args.theme === 'auto' ? '' : args.theme}
    style=${setup.style ?? ''}
    .client=${client}
  ></groupbuy-chat>`;
}

const meta: Meta<ChatArgs> = {
  title: 'Elements/groupbuy-chat',
  component: 'groupbuy-chat',
  args: { lang: 'ko', theme: 'light' },
  argTypes: {
    ...elementArgTypes,
    // Events are listed for their description and payload; there is nothing to set.
    ...Object.fromEntries(
      ['groupbuy-room-change', 'groupbuy-join', 'groupbuy-leave', 'groupbuy-send', 'groupbuy-error', 'groupbuy-auth-required'].map(
        (name) => [name, { control: false }],
      ),
    ),
  },
};
export default meta;

type Story = StoryObj<ChatArgs>;

/** An open deal with a short conversation: 6 of 10 joined, three more people watching, about three hours left. */
export const Active: Story = { render: (args) => chat(args, { room: (now) => sampleRoom(now, { viewers: WATCHERS.slice(0, 2) }) }) };

/** The same deal in English. */
export const English: Story = { args: { lang: 'en' }, render: (args) => chat(args) };

/** A room nobody has written in yet. */
export const EmptyRoom: Story = {
  render: (args) => chat(args, { room: (now) => sampleRoom(now, { messages: [], participants: [] }) }),
};

/** The server never answers: the skeleton stays. */
export const Loading: Story = {
  render: (args) => chat(args, { server: { latencyMs: 2 ** 31 - 1 } }),
};

/** 200 messages: the latest 50 load first, older ones when scrolled to the top. */
export const TwoHundredMessages: Story = {
  render: (args) =>
    chat(args, {
      room: (now) =>
        sampleRoom(now, {
          messages: Array.from({ length: 200 }, (_, i) => ({
            sender: [PEOPLE.alex, PEOPLE.seojun, PEOPLE.priya, PEOPLE.seller][i % 4] ?? null,
            content: i % 3 === 0 ? `메시지 ${i + 1}: 언제 도착하나요?` : `Message ${i + 1}: looking forward to it`,
            createdAt: now - (200 - i) * 7 * MINUTE,
          })),
        }),
    }),
};

/** Long Korean and English text, a long URL and line breaks: wrapping by word (어절), never overflowing. */
export const LongText: Story = {
  render: (args) =>
    chat(args, {
      room: (now) =>
        sampleRoom(now, {
          messages: [
            {
              sender: PEOPLE.seojun,
              content:
                '안녕하세요! 작년 겨울에도 이 농장 감귤을 공동구매로 받아봤는데 당도가 정말 높고 껍질도 얇아서 가족들이 아주 좋아했어요. 이번에는 부모님 댁에도 한 박스 보내드리려고 하는데, 배송지를 두 곳으로 나눠서 받을 수 있는지 궁금합니다. 가능하다면 추가 배송비는 얼마인지도 알려주세요!',
              createdAt: now - 40 * MINUTE,
            },
            {
              sender: PEOPLE.alex,
              content:
                'I ordered last year and they arrived in perfect condition.\nTip: keep them somewhere cool, not in the fridge.\nDetails: https://example.com/a/very/long/link/that/should/wrap/instead/of/overflowing/the/bubble?ref=groupbuy-chat-storybook',
              createdAt: now - 35 * MINUTE,
            },
            {
              sender: PEOPLE.seller,
              content: '두 곳 배송 가능합니다. 추가 배송비는 3,000원이에요. 주문서 메모란에 두 번째 주소를 적어 주세요.',
              createdAt: now - 30 * MINUTE,
            },
          ],
        }),
    }),
};

/** One message on its way (acknowledgements held back) and one that failed with Retry / Discard. */
export const PendingAndFailed: Story = {
  render: (args) =>
    chat(args, { room: (now) => sampleRoom(now, { participants: [READER, PEOPLE.alex] }), ackTimeoutMs: 3_600_000 }, (backend, session) => {
      backend.failSends({ code: 'UNAVAILABLE', message: 'The chat server cannot be reached.' });
      session.send('이 메시지는 전송에 실패했어요');
      const off = session.on('messages', (messages) => {
        if (!messages.some((m) => m.status === 'failed')) return;
        off();
        backend.failSends(null);
        backend.holdSends();
        session.send('이 메시지는 보내는 중이에요…');
      });
    }),
};

/** Four minutes left: the countdown turns urgent and ticks by the second. */
export const NearDeadline: Story = {
  render: (args) => chat(args, { room: (now) => sampleRoom(now, { expiresAt: now + 4 * MINUTE + 30_000 }) }),
};

/** Nine of ten joined; two seconds later the last buyer joins and the deal closes (FULL → CLOSED). */
export const FullThenClosed: Story = {
  render: (args) =>
    chat(
      args,
      {
        room: (now) =>
          sampleRoom(now, {
            participants: [
              READER,
              ...Array.from({ length: 8 }, (_, i) => ({
                userId: `b-${i}`,
                name: ['하나', 'Jin', '다미', 'Leo', '소율', 'Mia', '태오', 'Noah'][i] ?? `B${i}`,
              })),
            ],
          }),
      },
      (backend) => storyLater(2000, () => void backend.join(PRODUCT_ID, { userId: 'u-last', name: '막차' })),
    ),
};

/** A closed deal seen by a buyer: the chat goes on. */
export const ClosedBuyer: Story = {
  render: (args) =>
    chat(args, {
      room: (now) =>
        sampleRoom(now, {
          status: 'CLOSED',
          participants: [READER, PEOPLE.alex, PEOPLE.seojun, PEOPLE.priya, { userId: 'u-hana', name: '하나' }],
        }),
    }),
};

/** A cancelled deal: read-only, with the reason. */
export const Cancelled: Story = {
  render: (args) =>
    chat(
      args,
      { room: (now) => sampleRoom(now, { participants: [READER, PEOPLE.alex] }) },
      (backend) => void backend.setStatus(PRODUCT_ID, 'CANCELLED'),
    ),
};

/**
 * The same deal as a buyer and as a watcher when it fills: the watcher may read what came before but not
 * write. 다미, watching at first, joins (and moves to the buyers in the "참여자" panel), then Leo fills it.
 */
export const WatcherVsBuyer: Story = {
  render: (args) => {
    resetStories();
    const backend = storyServer();
    void prepare(backend, () =>
      backend.addRoom(
        sampleRoom(backend.now(), {
          maxParticipants: 8,
          participants: [
            READER,
            PEOPLE.alex,
            PEOPLE.seojun,
            PEOPLE.priya,
            { userId: 'u-hana', name: '하나' },
            { userId: 'u-jin', name: 'Jin' },
          ],
          viewers: [{ userId: 'u-dami', name: '다미' }],
        }),
      ),
    );
    const buyer = storyClient(backend, READER);
    const watcher = storyClient(backend, PEOPLE.watcher);
    storyLater(1500, () => void backend.join(PRODUCT_ID, { userId: 'u-dami', name: '다미' }));
    storyLater(3000, () => void backend.join(PRODUCT_ID, { userId: 'u-leo', name: 'Leo' }));
    const theme = args.theme === 'auto' ? '' : args.theme;
    return html`<div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; width: min(900px, 90vw); margin-left: 50%; transform: translateX(-50%);">
      <div><p style="font: 600 13px system-ui; margin: 0 0 6px;">Buyer · 구매자</p><groupbuy-chat product-id=${PRODUCT_ID} lang=${args.lang} theme=${theme} .client=${buyer}></groupbuy-chat></div>
      <div><p style="font: 600 13px system-ui; margin: 0 0 6px;">Watcher · 구경하는 사람</p><groupbuy-chat product-id=${PRODUCT_ID} lang=${args.lang} theme=${theme} .client=${watcher}></groupbuy-chat></div>
    </div>`;
  },
};

/** The connection dropped and the server is not back yet: "reconnecting". */
export const Reconnecting: Story = {
  render: (args) => chat(args, {}, (backend) => backend.disconnect()),
};

/** The device is offline: sends wait in the outbox. */
export const Offline: Story = {
  render: (args) => chat(args, { online: false }, (backend) => backend.disconnect({ rest: true })),
};

/** Dark theme by attribute. */
export const Dark: Story = {
  args: { theme: 'dark' },
  parameters: { backgrounds: { value: '#0e0f12' } },
  decorators: [(story) => html`<div style="background: #0e0f12; padding: 16px; border-radius: 12px;">${story()}</div>`],
  render: (args) => chat(args),
};

/** A shop's own look through --groupbuy-* custom properties. */
export const CustomTheme: Story = {
  render: (args) =>
    chat(args, {
      style: [
        '--groupbuy-accent: #0b7a5a',
        '--groupbuy-focus-ring: #0b7a5a',
        '--groupbuy-accent-soft: #e3f4ee',
        '--groupbuy-own-bubble: #0b7a5a',
        '--groupbuy-bubble: #f4efe6',
        '--groupbuy-surface: #fbf8f2',
        '--groupbuy-border: #e8e0d2',
        '--groupbuy-radius: 6px',
        '--groupbuy-font-family: Georgia, "Nanum Myeongjo", serif',
        '--groupbuy-height: 560px',
      ].join(';'),
    }),
};

/** No client and no token. */
export const SignedOut: Story = {
  render: (args) => {
    resetStories();
    return html`<groupbuy-chat product-id=${PRODUCT_ID} lang=${args.lang} theme=${args.theme === 'auto' ? '' : args.theme}></groupbuy-chat>`;
  },
};

/** A short deal played live: buyers join and chat, the connection drops for a moment, the deal fills. */
export const LiveDeal: Story = {
  render: (args) =>
    chat(
      args,
      { room: (now) => sampleRoom(now, { maxParticipants: 6, participants: [READER], messages: [], expiresAt: now + 20 * MINUTE }) },
      (backend) => storyDeal(backend, PRODUCT_ID, { stepMs: 1200, disconnectAfterJoins: 2, offlineMs: 2500 }),
    ),
};

/**
 * The sign-in expired (or the server restarted with a new secret) and the page has no tokenProvider: one
 * "sign in again" state, no reconnect loop; the page hears `groupbuy-auth-required`.
 */
export const SignInExpired: Story = {
  render: (args) =>
    chat(args, { token: (backend) => backend.tokenFor(READER) }, (backend) => storyLater(600, () => backend.expireTokens())),
};

/** A shopper who only watched opens the chat after the deal closed: said plainly, nothing to retry. */
export const ClosedForWatcher: Story = {
  render: (args) => chat(args, { user: PEOPLE.watcher, room: (now) => sampleRoom(now, { status: 'CLOSED' }) }),
};

/**
 * Typing (issue 12): Alex, then 서준 and Priya start typing in other sessions on the same in-process server;
 * the line above the composer shows one name, two names, then two and a count, and each name goes 5 s after
 * its last typing event or at once when that person's message arrives.
 */
export const Typing: Story = {
  render: (args) =>
    chat(args, {}, (backend) => {
      const typist = (user: TestUser, at: number, message?: string): void => {
        const session = storyClient(backend, user).room(PRODUCT_ID);
        void session.ready().then(() => {
          for (const ms of [at, at + 3100, at + 6200]) storyLater(ms, () => session.typing());
          if (message) storyLater(at + 8000, () => void session.send(message));
        });
      };
      typist(PEOPLE.alex, 800, 'Is the 5 kg box still available?');
      typist(PEOPLE.seojun, 2000);
      typist(PEOPLE.priya, 3000, '저도 참여할게요!');
    }),
};
