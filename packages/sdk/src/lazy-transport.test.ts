import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { lazyTransport } from './lazy-transport.js';
import { createRoom, notify, waitFor } from './test-support/server.js';
import { live, recordingCloses, sentContents, testClient, useTestServer } from './test-support/clients.js';
import { wsTransport } from './transports/ws.js';
import type { WebSocketLike } from './transports/shared.js';
import type { TransportFactory } from './types.js';

const ws = (): TransportFactory => wsTransport({ WebSocket: WebSocket as unknown as WebSocketLike });

// A transport whose code arrives later (the widget bundle's chunk): the REST reads go out at once, the
// connection once the chunk is there, against the real server.
describe('lazyTransport', () => {
  const env = useTestServer();

  it('loads the room and its history while the transport is still loading, then subscribes and sends', async () => {
    const room = await createRoom(env.url);
    await notify(env.url, room.productId, 'before the chat opened');
    let release: (factory: TransportFactory) => void = () => {};
    const chunk = new Promise<TransportFactory>((resolve) => (release = resolve));
    let loads = 0;
    const client = testClient({
      baseUrl: env.url,
      getToken: env.tokenOf('lazy-ann'),
      transport: lazyTransport('ws', () => {
        loads += 1;
        return chunk;
      }),
    });
    const session = client.room(room.productId);
    await session.ready();
    // Loaded with no transport yet: the history is there, the connection is not.
    expect(session.messages.map((m) => m.content)).toContain('before the chat opened');
    expect(client.state).toBe('connecting');
    release(ws());
    await live(session, 'lazy-ann');
    session.send('after the chunk');
    await waitFor('the send to be stored', () => sentContents(session).includes('after the chunk'));
    expect(loads).toBe(1);
  });

  it('ends an attempt whose load failed like a connection that did not come up, and loads again on the next', async () => {
    const room = await createRoom(env.url);
    let loads = 0;
    const { factory, closes } = recordingCloses(
      lazyTransport('ws', async () => {
        loads += 1;
        if (loads === 1) throw new Error('chunk unreachable');
        return ws();
      }),
    );
    const client = testClient({ baseUrl: env.url, getToken: env.tokenOf('lazy-bob'), transport: factory });
    const session = client.room(room.productId);
    await live(session, 'lazy-bob');
    expect(loads).toBe(2);
    expect(closes[0]?.reason).toMatch(/ws transport did not load/);
  });

  it('opens nothing for an attempt closed while its transport loaded', async () => {
    let release: (factory: TransportFactory) => void = () => {};
    const chunk = new Promise<TransportFactory>((resolve) => (release = resolve));
    let made = 0;
    const transport = lazyTransport('ws', () => chunk)({ baseUrl: env.url, token: 'unused' });
    const events: string[] = [];
    transport.open({ onOpen: () => events.push('open'), onEvent: () => events.push('event'), onClose: () => events.push('close') });
    transport.close();
    release(() => {
      made += 1;
      return ws()({ baseUrl: env.url, token: 'unused' });
    });
    await chunk;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(made).toBe(0);
    expect(events).toEqual([]);
    await expect(transport.send({ type: 'typing', roomId: 'r' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
