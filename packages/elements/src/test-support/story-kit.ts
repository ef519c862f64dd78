import { createChatClient, type ChatClient } from '@groupbuy/sdk';
import {
  createMemoryBackend,
  type MemoryBackend,
  type MemoryBackendOptions,
  type MemoryRoomInit,
  type MemorySeedMessage,
  type MemoryUser,
} from '@groupbuy/sdk/memory';
import { PEOPLE } from './memory.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The demo product of every story. */
export const PRODUCT_ID = 'jeju-tangerine-5kg';

/** A short, believable deal conversation (Korean and English shoppers, the seller, a notice). */
export function sampleHistory(now: number): MemorySeedMessage[] {
  const at = (minutesAgo: number): number => now - minutesAgo * MINUTE;
  return [
    { sender: null, content: '공동구매가 시작되었습니다. 10명이 모이면 산지에서 바로 발송해 드려요! 🍊', createdAt: at(190) },
    { sender: PEOPLE.alex, content: 'Hi! Are these the same tangerines as last winter?', createdAt: at(150) },
    { sender: PEOPLE.seller, content: '네, 같은 농장에서 오늘 아침에 수확한 노지 감귤입니다. Same farm, picked this morning.', createdAt: at(146) },
    { sender: PEOPLE.seojun, content: '5kg이면 대략 몇 개 정도 들어 있나요?', createdAt: at(95) },
    { sender: PEOPLE.seller, content: '중과 기준 45~55개 정도 들어가요.', createdAt: at(93) },
    { sender: PEOPLE.seojun, content: '감사합니다! 바로 참여했어요 😊', createdAt: at(92) },
    { sender: PEOPLE.priya, content: 'Joined too. Could we get them before the weekend?', createdAt: at(30) },
    { sender: PEOPLE.seller, content: '마감되면 다음 날 출고해서 이틀 안에 도착합니다.', createdAt: at(28) },
  ];
}

/** A room for stories: the tangerine deal with three buyers and the history above, overridable. */
export function sampleRoom(now: number, overrides: Partial<MemoryRoomInit> = {}): MemoryRoomInit {
  return {
    productId: PRODUCT_ID,
    title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
    maxParticipants: 10,
    minParticipants: 5,
    expiresAt: now + 3 * HOUR + 12 * MINUTE,
    hostId: PEOPLE.seller.userId,
    participants: [PEOPLE.seojun, PEOPLE.alex, PEOPLE.priya, { userId: 'u-hana', name: '하나' }, { userId: 'u-jin', name: 'Jin' }, { userId: 'u-dami', name: '다미' }],
    messages: sampleHistory(now),
    ...overrides,
  };
}

/** Shoppers who have the deal's chat open without having joined (pass as `viewers`). */
export const WATCHERS: MemoryUser[] = [
  { userId: 'u-yuna', name: '유나' },
  { userId: 'u-tom', name: 'Tom' },
  PEOPLE.watcher,
];

// Stories re-render on every control change: the previous render's clients and backends are closed
// first, so no simulated room keeps running in the background.
const live: Array<{ close(): void }> = [];

/** Closes what the previous story render opened. */
export function resetStories(): void {
  for (const item of live.splice(0)) item.close();
}

/** A fresh memory backend, closed on the next story render. */
export function storyBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const backend = createMemoryBackend(options);
  live.push({ close: () => backend.dispose() });
  return backend;
}

/** A client signed in as `user` on `backend`, closed on the next story render. */
export function storyClient(
  backend: MemoryBackend,
  user: MemoryUser,
  options: { online?: boolean; ackTimeoutMs?: number; token?: string } = {},
): ChatClient {
  const online = options.online ?? true;
  const client = createChatClient({
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
    baseUrl: backend.baseUrl,
    fetch: backend.fetch,
    transport: backend.transport,
    // With `token`, the page's one token and no renewal (a page without a tokenProvider).
    getToken: () => options.token ?? backend.tokenFor(user),
    reconnectInitialDelayMs: 400,
    reconnectMaxDelayMs: 2000,
    platform: { subscribe: () => () => {}, isOnline: () => online },
  });
  live.push(client);
  return client;
}

/** Runs `fn` when the story is rendered again (stops a running simulation). */
export function onStoryReset(fn: () => void): void {
  live.push({ close: fn });
}

/** Runs `fn` after `ms`, unless the story was re-rendered meanwhile. */
export function storyLater(ms: number, fn: () => void): void {
  const timer = setTimeout(fn, ms);
  live.push({ close: () => clearTimeout(timer) });
}

/**
 * The attributes both elements share, as Storybook args. The stories hand the element a `client` on the
 * in-memory server, which wins over them; with `base-url` and `token` (or a signed-out `base-url` alone)
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

/** True when the args point the story at a real server rather than the in-memory one. */
export function usesRealServer(args: ElementArgs): boolean {
  return Boolean(args['base-url']);
}

export { PEOPLE, HOUR, MINUTE };
