import { html, type TemplateResult } from 'lit';
import type { ChatMessage, ShippingAddressInput } from '@groupbuy/protocol';
import type { InProcessServer, TestUser } from '@groupbuy/testing';
import '../../define/groupbuy-chat.js';
import {
  type ElementArgs,
  MINUTE,
  PEOPLE,
  PRODUCT_ID,
  prepare,
  resetStories,
  sampleRoom,
  storyClient,
  storyLater,
  storyServer,
} from '../../test-support/story-kit.js';

/**
 * What issue 11's stories share (moderation-menu, pinned-notice, address-form): one in-process server with
 * the tangerine deal (Minji among the buyers), a seller's REST call before the widget loads, the widget.
 */
export interface ModerationStory {
  /** The server of this render. */
  readonly server: InProcessServer;
  /** A notice from the seller's trade service in the history. */
  readonly noticeText: string;
  /** Queues `path` (`/pin`, `/mutes` …) under the room as `user`, with `body`, before the widget loads; resolves with its JSON. */
  call(user: TestUser, method: string, path: string, body?: unknown): Promise<unknown>;
  /** Queues a chat message as `user` before the widget loads; resolves with it (its `seq`). */
  post(user: TestUser | null, content: string): Promise<ChatMessage>;
  /** The widget as `user` (`id` for storyClick). */
  widget(user: TestUser, args: ElementArgs, id?: string): TemplateResult;
  /** Runs `fn` once the widget `id` shows its messages (a live change its reader must see arrive). */
  whenLoaded(id: string, fn: () => void): void;
  /** Opens the menu of the last message in the widget `id` once it has one, then runs `then` on its shadow root. */
  openLastMenu(id: string, then?: (root: ShadowRoot) => void): void;
}

/** Minji's address in the address stories. */
export const SAMPLE_ADDRESS: ShippingAddressInput = {
  recipient: '김민지',
  phone: '010-1234-5678',
  postalCode: '06236',
  line1: '서울 강남구 테헤란로 123',
  line2: '101동 1203호',
  memo: '문 앞에 놓아 주세요',
};

/** A fresh server and room for one story render. */
export function moderationStory(): ModerationStory {
  resetStories();
  const server = storyServer({ rateLimit: false });
  const now = server.now();
  const noticeText = '**금요일 오후 2시** 일괄 출고합니다.\n- 송장은 문자로 보내 드려요\n- 문의는 [FAQ](https://shop.example/faq)';
  const seed = sampleRoom(now, {
    participants: [...(sampleRoom(now).participants ?? []), { ...PEOPLE.minji, joinedAt: now - 20 * MINUTE }],
  });
  void prepare(server, () => server.addRoom(seed));
  const call = (user: TestUser, method: string, path: string, body?: unknown): Promise<unknown> =>
    prepare(server, async () => {
      const res = await server.fetch(`${server.baseUrl}/api/chat/rooms/${PRODUCT_ID}${path}`, {
        method,
        headers: { authorization: `Bearer ${await server.tokenFor(user)}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return res.status === 204 ? null : res.json();
    });
  const post = (user: TestUser | null, content: string): Promise<ChatMessage> =>
    prepare(server, () => server.post(PRODUCT_ID, { sender: user, content })) as Promise<ChatMessage>;
  void post(null, noticeText);
  return {
    server,
    noticeText,
    call,
    post,
    whenLoaded: (id, fn) => {
      const attempt = (): void => {
        if (document.getElementById(id)?.shadowRoot?.querySelector('.log .row')) storyLater(300, fn);
        else storyLater(150, attempt);
      };
      attempt();
    },
    openLastMenu: (id, then) => {
      const attempt = (): void => {
        const root = document.getElementById(id)?.shadowRoot;
        const buttons = root?.querySelectorAll<HTMLButtonElement>('[part~="message-menu-button"]');
        const last = buttons?.[buttons.length - 1];
        if (!root || !last) return storyLater(150, attempt);
        last.click();
        if (then) storyLater(300, () => then(root));
      };
      storyLater(300, attempt);
    },
    widget: (user, args, id) => {
      const client = storyClient(server, user);
      const theme = args.theme === 'auto' ? '' : args.theme;
      return html`<groupbuy-chat id=${id ?? 'moderation-story'} product-id=${PRODUCT_ID} lang=${args.lang} theme=${theme} .client=${client}></groupbuy-chat>`;
    },
  };
}
