// What the hook tests share: a killable reference server, SDK clients over a socket that counts what it
// sends, and a component that records every committed result of the hook.
import { useLayoutEffect, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { JSDOM } from 'jsdom';
import WebSocket from 'ws';
import { createChatClient, memoryOutboxStorage, type ChatClient } from '@groupbuy/sdk';
import { stompTransport } from '@groupbuy/sdk/stomp';
import { wsTransport } from '@groupbuy/sdk/ws';
import { useGroupBuyRoom, type GroupBuyRoom, type UseGroupBuyRoomOptions } from '../index.js';
import { devToken } from './server.js';

export { createRoom, devToken, ServerProcess, waitFor } from './server.js';

// A DOM for React to render into, as `window` and `document` only: vitest's jsdom environment would also
// swap Node's URL, Event and AbortSignal for jsdom's, which the server helpers and fetch do not take.
if (typeof document === 'undefined') {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://127.0.0.1/' });
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
}

/**
 * What the counting sockets of one test sent: sockets opened, STOMP frames by command, and the STOMP
 * ids of the room subscriptions subscribed and not unsubscribed. The server refuses a second SUBSCRIBE under an id
 * in use, so `live` is what the server holds for these sockets.
 */
export interface WireCount {
  sockets: number;
  frames: Map<string, number>;
  live: Set<string>;
}

/** The WebSocket class the SDK's transports take (a browser's; `ws`'s is compatible at run time). */
export type WebSocketClass = NonNullable<NonNullable<Parameters<typeof stompTransport>[0]>['WebSocket']>;

/** A `ws` WebSocket that counts into `count`: the wire as the server receives it. */
export function countingWebSocket(count: WireCount): WebSocketClass {
  return class CountingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      count.sockets += 1;
    }

    override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
      // The SDK's STOMP transport sends text frames; anything else counts under ''.
      const text = typeof data === 'string' ? data : '';
      const [command = '', ...lines] = text.split('\n\n', 1)[0]?.split('\n') ?? [];
      count.frames.set(command, (count.frames.get(command) ?? 0) + 1);
      // Rooms only: the SDK also subscribes once per connection to its own error queue.
      const id = lines.find((l) => l.startsWith('id:room-'))?.slice(3);
      if (id !== undefined && command === 'SUBSCRIBE') count.live.add(id);
      if (id !== undefined && command === 'UNSUBSCRIBE') count.live.delete(id);
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  } as unknown as WebSocketClass;
}

/** A fresh wire count. */
export function wireCount(): WireCount {
  return { sockets: 0, frames: new Map(), live: new Set() };
}

/** Options of {@link makeClient}. */
export interface MakeClientOptions {
  transport?: 'stomp' | 'ws';
  count?: WireCount;
}

/** An SDK client of `userId` against `url`, reconnecting quickly, its outbox in memory. */
export function makeClient(url: string, userId: string, options: MakeClientOptions = {}): ChatClient {
  const WebSocketClass = countingWebSocket(options.count ?? wireCount());
  return createChatClient({
    baseUrl: url,
    getToken: () => devToken(url, userId),
    transport: options.transport === 'ws' ? wsTransport({ WebSocket: WebSocketClass }) : stompTransport({ WebSocket: WebSocketClass }),
    reconnectInitialDelayMs: 50,
    reconnectMaxDelayMs: 250,
    outboxStorage: memoryOutboxStorage(),
  });
}

/** The value of one series at the server's `GET /metrics` (0 when absent). */
export async function serverMetric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Every result of the hook that React committed, in order, and the latest one. */
export interface Probe {
  commits: GroupBuyRoom[];
  readonly latest: GroupBuyRoom;
}

/** A fresh probe. */
export function probe(): Probe {
  const commits: GroupBuyRoom[] = [];
  return {
    commits,
    get latest(): GroupBuyRoom {
      const last = commits[commits.length - 1];
      if (!last) throw new Error('nothing committed yet');
      return last;
    },
  };
}

/** Props of {@link HookProbe}. */
export interface HookProbeProps {
  productId: string;
  probe: Probe;
  options?: UseGroupBuyRoomOptions;
}

/** Calls the hook and records each committed result (a layout effect runs once per commit). */
export function HookProbe({ productId, probe: p, options }: HookProbeProps): ReactNode {
  const room = useGroupBuyRoom(productId, options);
  useLayoutEffect(() => {
    if (p.commits[p.commits.length - 1] !== room) p.commits.push(room);
  });
  return <span data-product={room.productId}>{room.messages.length}</span>;
}

/** A React root in a fresh jsdom container; `unmount()` also removes the container. */
export function mount(node: ReactNode): { root: Root; render(next: ReactNode): void; unmount(): void } {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  root.render(node);
  return {
    root,
    render: (next) => root.render(next),
    unmount: () => {
      root.unmount();
      container.remove();
    },
  };
}

/** The stored contents of a hook's messages, in order. */
export function contents(room: GroupBuyRoom): string[] {
  return room.messages.map((m) => m.content);
}
