// The hook in a jsdom document against the real server CLI (a child process, so a test can kill and restart it):
// jsdom because the hook needs React's DOM renderer and nothing of layout or custom elements, and it lets
// the test count on the server's side (/metrics) and on the wire in the same process. Node 20 has no
// global WebSocket, so the SDK's transports get the `ws` package's, wrapped to count frames.
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ChatClient } from '@groupbuy/sdk';
import { stompTransport } from '@groupbuy/sdk/stomp';
import { ChatClientProvider } from './index.js';
import {
  contents,
  countingWebSocket,
  createRoom,
  devToken,
  HookProbe,
  makeClient,
  mount,
  probe,
  serverMetric,
  ServerProcess,
  waitFor,
  wireCount,
} from './test-support/harness.js';

const server = new ServerProcess();

beforeAll(() => server.start());
afterAll(() => server.dispose());

/** A client for the test, closed when it ends. */
function client(userId: string, options: Parameters<typeof makeClient>[2] = {}): ChatClient {
  const c = makeClient(server.url, userId, options);
  onTestFinished(() => c.close());
  return c;
}

/** One turn of the event loop: every promise chain started before it has run. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Sends `content` as another shopper and waits until the server stored it. */
async function postAs(sender: ChatClient, productId: string, content: string): Promise<void> {
  const session = sender.room(productId);
  await session.ready();
  session.send(content);
  await waitFor(`"${content}" stored`, () => session.messages.some((m) => m.content === content && m.status === 'sent'));
  session.dispose();
}

describe('useGroupBuyRoom', () => {
  it('shows the room and the messages that arrive live', async () => {
    const { productId } = await createRoom(server.url);
    const p = probe();
    const view = mount(
      <ChatClientProvider client={client('reader')}>
        <HookProbe productId={productId} probe={p} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('the room loaded', () => p.latest.status === 'ready' && p.latest.connection === 'open');
    expect(p.latest.room?.productId).toBe(productId);
    await postAs(client('asker'), productId, '배송은 언제인가요?');
    await waitFor('the message arrived', () => contents(p.latest).includes('배송은 언제인가요?'));
    expect(p.latest.messages.at(-1)).toMatchObject({ status: 'sent', sender: { userId: 'asker' } });
  });

  it('shows a send at once as pending, then as sent', async () => {
    const { productId } = await createRoom(server.url);
    const p = probe();
    const view = mount(
      <ChatClientProvider client={client('sender')}>
        <HookProbe productId={productId} probe={p} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('the room loaded', () => p.latest.status === 'ready');
    const pending = p.latest.sendMessage('Is shipping included?');
    expect(pending.status).toBe('pending');
    await waitFor('sent', () => p.latest.messages.some((m) => m.clientMsgId === pending.clientMsgId && m.status === 'sent'));
    const seen = p.commits.flatMap((r) => r.messages.filter((m) => m.clientMsgId === pending.clientMsgId).map((m) => m.status));
    expect(seen[0]).toBe('pending');
    expect(seen.at(-1)).toBe('sent');
    expect(seen.filter((s) => s === 'sent').length).toBeGreaterThan(0);
    expect(p.latest.messages.filter((m) => m.clientMsgId === pending.clientMsgId)).toHaveLength(1);
  });

  it('keeps one subscription under StrictMode double effects', async () => {
    const { productId } = await createRoom(server.url);
    const count = wireCount();
    const p = probe();
    const view = mount(
      <StrictMode>
        <ChatClientProvider client={client('strict', { count })}>
          <HookProbe productId={productId} probe={p} />
        </ChatClientProvider>
      </StrictMode>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('the room loaded', () => p.latest.status === 'ready' && p.latest.connection === 'open');
    await postAs(client('asker'), productId, 'hello strict');
    await waitFor('the message arrived', () => contents(p.latest).includes('hello strict'));
    expect(count.sockets).toBe(1);
    expect([...count.live]).toEqual([`room-${productId}`]);
  });

  it('does not resubscribe when re-rendered with the same id', async () => {
    const { productId } = await createRoom(server.url);
    const count = wireCount();
    const c = client('rerendered', { count });
    const p = probe();
    // A fresh options object on every render, as a page would write it inline.
    const page = (n: number) => (
      <div data-render={n}>
        <HookProbe productId={productId} probe={p} options={{ client: c }} />
      </div>
    );
    const view = mount(page(0));
    onTestFinished(() => view.unmount());
    await waitFor('open', () => p.latest.status === 'ready' && p.latest.connection === 'open');
    const subscribes = count.frames.get('SUBSCRIBE');
    const first = p.latest;
    for (let n = 1; n <= 5; n += 1) view.render(page(n));
    await waitFor('the last render committed', () => document.querySelector('[data-render="5"]'));
    await postAs(client('asker'), productId, 'still here');
    await waitFor('the message arrived', () => contents(p.latest).includes('still here'));
    expect(count.frames.get('SUBSCRIBE')).toBe(subscribes);
    expect(count.frames.get('UNSUBSCRIBE') ?? 0).toBe(0);
    expect([...count.live]).toEqual([`room-${productId}`]);
    // The functions are the same across those renders: safe in effect dependencies.
    expect(p.latest.sendMessage).toBe(first.sendMessage);
  });

  it('unmounted while connecting, it lets go and its provider closes the client before any socket opens', async () => {
    const { productId } = await createRoom(server.url);
    const token = await devToken(server.url, 'leaver');
    let letTokenThrough: (token: string) => void = () => {};
    const gate = new Promise<string>((resolve) => (letTokenThrough = resolve));
    let asked = 0;
    const count = wireCount();
    const p = probe();
    const getToken = (): Promise<string> => {
      asked += 1;
      return gate;
    };
    const view = mount(
      <ChatClientProvider baseUrl={server.url} getToken={getToken} transport={stompTransport({ WebSocket: countingWebSocket(count) })}>
        <HookProbe productId={productId} probe={p} />
      </ChatClientProvider>,
    );
    await waitFor('the client asked for a token', () => asked > 0);
    expect(p.latest.connection).toBe('connecting');
    view.unmount();
    const commits = p.commits.length;
    await macrotask(); // the provider closes its client a macrotask after unmount
    letTokenThrough(token);
    await macrotask();
    await macrotask();
    expect(count.sockets).toBe(0);
    expect(p.commits.length).toBe(commits);
  });

  it('two hooks on one room share one connection and one subscription', async () => {
    const { productId } = await createRoom(server.url);
    const count = wireCount();
    const shared = client('twice', { count });
    const a = probe();
    const b = probe();
    const opened = await serverMetric(server.url, 'groupbuy_connections_opened_total{transport="stomp"}');
    const view = mount(
      <ChatClientProvider client={shared}>
        <HookProbe productId={productId} probe={a} />
        <HookProbe productId={productId} probe={b} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('both loaded', () => a.latest.status === 'ready' && b.latest.status === 'ready' && a.latest.connection === 'open');
    expect(await serverMetric(server.url, 'groupbuy_connections_opened_total{transport="stomp"}')).toBe(opened + 1);
    await postAs(client('asker'), productId, 'for both');
    await waitFor('both got it', () => contents(a.latest).includes('for both') && contents(b.latest).includes('for both'));
    expect(count.sockets).toBe(1);
    expect([...count.live]).toEqual([`room-${productId}`]);
  });

  it('two hooks on one room over the plain WebSocket open one room socket on the server', async () => {
    const { productId } = await createRoom(server.url);
    const opened = await serverMetric(server.url, 'groupbuy_connections_opened_total{transport="ws"}');
    const a = probe();
    const b = probe();
    const view = mount(
      <ChatClientProvider client={client('twice-ws', { transport: 'ws' })}>
        <HookProbe productId={productId} probe={a} />
        <HookProbe productId={productId} probe={b} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await postAs(client('asker'), productId, 'for both over ws');
    await waitFor('both got it', () => contents(a.latest).includes('for both over ws') && contents(b.latest).includes('for both over ws'));
    // The plain WebSocket opens one socket per room subscription: the server counts subscriptions here.
    expect(await serverMetric(server.url, 'groupbuy_connections_opened_total{transport="ws"}')).toBe(opened + 1);
  });

  it('switches rooms cleanly when the product id changes', async () => {
    const first = (await createRoom(server.url)).productId;
    const second = (await createRoom(server.url)).productId;
    const asker = client('asker');
    await postAs(asker, first, 'about the first');
    await postAs(asker, second, 'about the second');
    const count = wireCount();
    const c = client('switcher', { count });
    const p = probe();
    const view = mount(
      <ChatClientProvider client={c}>
        <HookProbe productId={first} probe={p} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('the first room', () => contents(p.latest).includes('about the first'));
    view.render(
      <ChatClientProvider client={c}>
        <HookProbe productId={second} probe={p} />
      </ChatClientProvider>,
    );
    await waitFor('the second room', () => contents(p.latest).includes('about the second'));
    // No commit ever showed one room's messages under the other's id.
    for (const r of p.commits) {
      if (r.productId === second) expect(contents(r)).not.toContain('about the first');
      if (r.productId === first) expect(contents(r)).not.toContain('about the second');
    }
    await waitFor('only the second room subscribed', () => count.live.size === 1 && count.live.has(`room-${second}`));
    expect(count.sockets).toBe(1);
  });

  it('recovers after the server restarts: what was sent meanwhile arrives, and nothing twice', async () => {
    const { productId } = await createRoom(server.url);
    const p = probe();
    const view = mount(
      <ChatClientProvider client={client('survivor')}>
        <HookProbe productId={productId} probe={p} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('open', () => p.latest.status === 'ready' && p.latest.connection === 'open');
    await postAs(client('asker'), productId, 'before the restart');
    await waitFor('first message', () => contents(p.latest).includes('before the restart'));
    await server.kill();
    await waitFor('connection lost', () => p.latest.connection !== 'open');
    const queued = p.latest.sendMessage('typed while down');
    await waitFor('shown as pending', () => p.latest.messages.find((m) => m.clientMsgId === queued.clientMsgId)?.status === 'pending');
    await server.start();
    await waitFor('open again', () => p.latest.connection === 'open');
    await postAs(client('asker'), productId, 'after the restart');
    await waitFor('all three, sent', () => {
      const sent = p.latest.messages.filter((m) => m.status === 'sent').map((m) => m.content);
      return ['before the restart', 'typed while down', 'after the restart'].every((c) => sent.includes(c));
    });
    expect(contents(p.latest).filter((c) => c === 'typed while down')).toHaveLength(1);
    const seqs = p.latest.messages.flatMap((m) => (m.seq === undefined ? [] : [m.seq]));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('renders only when what it shows changed during a burst of 100 incoming messages, and prints how often', async () => {
    const { productId } = await createRoom(server.url);
    const p = probe();
    const view = mount(
      <ChatClientProvider client={client('counter')}>
        <HookProbe productId={productId} probe={p} />
      </ChatClientProvider>,
    );
    onTestFinished(() => view.unmount());
    await waitFor('open', () => p.latest.status === 'ready' && p.latest.connection === 'open');
    const sender = client('burster').room(productId);
    await sender.ready();
    // The sender's arrival is pushed as a viewers event; let it land before counting.
    await waitFor('the sender seen as a viewer', () => p.latest.viewers.length === 2);
    expect(p.latest.viewerCount).toBe(2);
    const before = p.commits.length;
    for (let i = 0; i < 100; i += 1) sender.send(`burst ${i}`);
    await waitFor('all 100 arrived', () => contents(p.latest).filter((c) => c.startsWith('burst ')).length === 100, 30_000);
    const burst = p.commits.slice(before - 1);
    const renders = burst.length - 1;
    // A render whose messages did not change came from something else (a coalesced viewers push).
    const messageRenders = burst.filter((c, i) => i > 0 && c.messages !== burst[i - 1]?.messages).length;
    console.log(
      `[measure] React ${process.env['GROUPBUY_REACT_MAJOR']}: a burst of 100 incoming messages caused ${renders} renders (${messageRenders} for messages)`,
    );
    // No render without news: each commit's snapshot differs from the one before in what it shows.
    const shown = (c: (typeof burst)[number]) => [c.messages, c.viewers, c.participants, c.room, c.connection, c.status];
    const idle = burst.filter((c, i) => i > 0 && shown(c).every((v, k) => v === shown(burst[i - 1] ?? c)[k])).length;
    expect(idle).toBe(0);
    sender.dispose();
  });

  it('outside a provider, the hook says what is missing', () => {
    expect(() => renderToString(<HookProbe productId="p-1" probe={probe()} />)).toThrow(/need a <ChatClientProvider> above them/);
  });
});
