import { createChatClient, type ChatClient } from '@groupbuy/sdk';
import {
  createInProcessServer,
  playDeal,
  type DealPlayback,
  type DealScript,
  type InProcessServer,
  type InProcessServerOptions,
  type RoomSeed,
  type SeedMessage,
  type TestUser,
} from '@groupbuy/testing';
import { nothing, type TemplateResult } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { PEOPLE } from './server.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The demo product of every story. */
export const PRODUCT_ID = 'jeju-tangerine-5kg';

/** A short, believable deal conversation (Korean and English shoppers, the seller, a notice). */
export function sampleHistory(now: number): SeedMessage[] {
  const at = (minutesAgo: number): number => now - minutesAgo * MINUTE;
  return [
    { sender: null, content: '공동구매가 시작되었습니다. 10명이 모이면 산지에서 바로 발송해 드려요! 🍊', createdAt: at(190) },
    { sender: PEOPLE.alex, content: 'Hi! Are these the same tangerines as last winter?', createdAt: at(150) },
    {
      sender: PEOPLE.seller,
      content: '네, 같은 농장에서 오늘 아침에 수확한 노지 감귤입니다. Same farm, picked this morning.',
      createdAt: at(146),
    },
    { sender: PEOPLE.seojun, content: '5kg이면 대략 몇 개 정도 들어 있나요?', createdAt: at(95) },
    { sender: PEOPLE.seller, content: '중과 기준 45~55개 정도 들어가요.', createdAt: at(93) },
    { sender: PEOPLE.seojun, content: '감사합니다! 바로 참여했어요 😊', createdAt: at(92) },
    { sender: PEOPLE.priya, content: 'Joined too. Could we get them before the weekend?', createdAt: at(30) },
    { sender: PEOPLE.seller, content: '마감되면 다음 날 출고해서 이틀 안에 도착합니다.', createdAt: at(28) },
  ];
}

/**
 * A room for stories: the tangerine deal with six buyers and the history above, overridable. The buyers
 * joined for real (each has its SYSTEM JOINED line), at the moments the conversation mentions.
 */
export function sampleRoom(now: number, overrides: Partial<RoomSeed> = {}): RoomSeed {
  const at = (minutesAgo: number): number => now - minutesAgo * MINUTE;
  return {
    productId: PRODUCT_ID,
    title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
    maxParticipants: 10,
    minParticipants: 5,
    expiresAt: now + 3 * HOUR + 12 * MINUTE,
    createdAt: at(195),
    hostId: PEOPLE.seller.userId,
    participants: [
      { userId: 'u-hana', name: '하나', joinedAt: at(170) },
      { ...PEOPLE.alex, joinedAt: at(149) },
      { userId: 'u-jin', name: 'Jin', joinedAt: at(120) },
      { ...PEOPLE.seojun, joinedAt: at(92.5) },
      { userId: 'u-dami', name: '다미', joinedAt: at(60) },
      { ...PEOPLE.priya, joinedAt: at(30.5) },
    ],
    messages: sampleHistory(now),
    ...overrides,
  };
}

/** Shoppers who have the deal's chat open without having joined (pass as `viewers`). */
export const WATCHERS: TestUser[] = [{ userId: 'u-yuna', name: '유나' }, { userId: 'u-tom', name: 'Tom' }, PEOPLE.watcher];

// Stories re-render on every control change: the previous render's clients and servers are closed
// first, so no simulated room keeps running in the background.
const live: Array<{ close(): void }> = [];
// What each server still has to do before a client may start (seeding is asynchronous; a story renders now).
const preparing = new WeakMap<InProcessServer, Promise<unknown>>();

/** Closes what the previous story render opened. */
export function resetStories(): void {
  for (const item of live.splice(0)) item.close();
}

/** A fresh in-process server (the real core in this page), disposed on the next story render. */
export function storyServer(options: InProcessServerOptions = {}): InProcessServer {
  const server = createInProcessServer(options);
  live.push({ close: () => void server.dispose() });
  return server;
}

/** Runs `task` on `server` after what was queued before; clients of the server wait for all of it. */
export function prepare(server: InProcessServer, task: () => Promise<unknown>): Promise<unknown> {
  const next = (preparing.get(server) ?? Promise.resolve()).then(task);
  // A failed step is shown in the console; later steps and clients still run.
  preparing.set(
    server,
    next.catch((err: unknown) => console.error('story setup failed', err)),
  );
  return next;
}

/** Resolves when everything {@link prepare}d on `server` so far is done. */
export function prepared(server: InProcessServer): Promise<unknown> {
  return preparing.get(server) ?? Promise.resolve();
}

/**
 * A client signed in as `user` on `server`, closed on the next story render. It asks for its token only
 * once the server is {@link prepared}, so it never looks at a room that is still being seeded.
 */
export function storyClient(
  server: InProcessServer,
  user: TestUser,
  options: { online?: boolean; ackTimeoutMs?: number; token?: Promise<string>; fetch?: typeof fetch } = {},
): ChatClient {
  const online = options.online ?? true;
  const client = createChatClient({
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
    baseUrl: server.baseUrl,
    // `fetch` wraps the server's to hold an answer back (a loading state); the server stays real.
    fetch: options.fetch ?? server.fetch,
    transport: server.transport,
    // With `token`, the page's one token and no renewal (a page without a tokenProvider).
    getToken: async () => {
      await prepared(server);
      return options.token ?? server.tokenFor(user);
    },
    reconnectInitialDelayMs: 400,
    reconnectMaxDelayMs: 2000,
    platform: { subscribe: () => () => {}, isOnline: () => online },
  });
  live.push(client);
  return client;
}

/** Plays `script` on the room once the server is prepared; stopped on the next story render. */
export function storyDeal(server: InProcessServer, productId: string, script: DealScript = {}): void {
  let playback: DealPlayback | undefined;
  let stopped = false;
  live.push({
    close: () => {
      stopped = true;
      playback?.stop();
    },
  });
  void prepared(server).then(() => {
    if (!stopped) playback = playDeal(server, productId, script);
  });
}

/** Runs `fn` after `ms`, unless the story was re-rendered meanwhile. */
export function storyLater(ms: number, fn: () => void): void {
  const timer = setTimeout(fn, ms);
  live.push({ close: () => clearTimeout(timer) });
}

/** Clicks `part` in the shadow root of the element with `id` once it is shown and enabled (polling), unless the story was re-rendered. */
export function storyClick(id: string, part: string): void {
  const attempt = (): void => {
    const target = document.getElementById(id)?.shadowRoot?.querySelector<HTMLButtonElement>(`[part~="${part}"]`);
    if (target && !target.disabled) target.click();
    else storyLater(150, attempt);
  };
  storyLater(150, attempt);
}

/**
 * The attributes both elements share, as Storybook args. The stories hand the element a `client` on the
 * in-process server (the real core in the page), which wins over them; with `base-url` and `token` (or a signed-out `base-url` alone)
 * a story renders the element against that server instead, e.g. `pnpm start` on http://127.0.0.1:8080.
 */
export interface ElementArgs {
  lang: 'ko' | 'en';
  theme: 'light' | 'dark' | 'auto';
  'product-id'?: string;
  'base-url'?: string;
  transport?: 'stomp' | 'socket.io' | 'ws';
  token?: string;
}

/** Controls for {@link ElementArgs}; descriptions come from custom-elements.json (the JSDoc). */
export const elementArgTypes = {
  lang: { control: 'inline-radio', options: ['ko', 'en'] },
  theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  'product-id': { control: 'text' },
  'base-url': { control: 'text' },
  transport: { control: 'inline-radio', options: ['stomp', 'socket.io', 'ws'] },
  token: { control: 'text' },
} as const;

/**
 * The element `tag` pointed at the listening server the args name (`base-url`, `transport`, `token`, with
 * `lang` and `theme`), or null when the args leave the story on the in-process server.
 */
export function realServerStory(tag: 'groupbuy-chat' | 'participant-list', args: ElementArgs): TemplateResult | null {
  if (!args['base-url']) return null;
  const element = unsafeStatic(tag);
  return staticHtml`<${element}
    product-id=${args['product-id'] || PRODUCT_ID}
    base-url=${args['base-url']}
    transport=${args.transport ?? 'stomp'}
    token=${args.token || nothing}
    lang=${args.lang}
    theme=${args.theme === 'auto' ? '' : args.theme}
  ></${element}>`;
}

export { PEOPLE, HOUR, MINUTE };
