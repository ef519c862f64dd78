// Private notices (issue 11) over every transport, against the real server: the PII guard masks a phone
// number in a send, the stored and broadcast text is the masked one, and the sender alone is told.
import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import type { PrivateNotice } from '@groupbuy/protocol';
import { TRANSPORTS, closeClients, live, sentContents, testClient, useTestServer } from './test-support/clients.js';
import { createRoom, devToken, notify, startTestServer, waitFor } from './test-support/server.js';
import { stompTransport } from './transports/stomp.js';
import { watchRoom, type EventSourceLike, type RoomWatcher } from './transports/sse.js';
import type { RoomSession } from './types.js';
import WebSocket from 'ws';
import type { WebSocketLike } from './transports/shared.js';

const PHONE = '연락 주세요 010-1234-5678';
const MASKED = '연락 주세요 010-****-5678';

/** Every notice the session hears, in order. */
function notices(session: RoomSession): PrivateNotice[] {
  const heard: PrivateNotice[] = [];
  session.on('notice', (notice) => heard.push(notice));
  return heard;
}

describe.each(TRANSPORTS)('private notices over $name', (entry) => {
  const env = useTestServer({ inProcess: entry.inProcess ?? false });

  it('tells the sender alone that the PII guard masked their message, which everyone sees masked', async () => {
    const room = await createRoom(env.url);
    const open = (userId: string) =>
      testClient({ baseUrl: env.url, getToken: env.tokenOf(userId), transport: entry.factory(env) }).room(room.productId);
    const ann = open('ann');
    const bob = open('bob');
    const [annHeard, bobHeard] = [notices(ann), notices(bob)];
    await Promise.all([live(ann, 'ann'), live(bob, 'bob')]);

    const sent = ann.send(PHONE);
    await waitFor('ann to be told', () => annHeard.length > 0);
    const stored = await waitFor('the masked message to be stored', () =>
      ann.messages.find((m) => m.clientMsgId === sent.clientMsgId && m.status === 'sent'),
    );
    expect(annHeard).toEqual([{ kind: 'PII_MASKED', seq: stored.seq, found: ['phone'] }]);
    expect(stored.content).toBe(MASKED);
    await waitFor('bob to get the masked message', () => sentContents(bob).includes(MASKED));
    // Bob's own clean send after it comes back to him: by then a notice meant for him would have arrived.
    bob.send('네 알겠습니다');
    await waitFor('bob to get his own message back', () => sentContents(bob).includes('네 알겠습니다'));
    expect(bobHeard).toEqual([]);
    expect(sentContents(bob)).not.toContain(PHONE);
  });
});

describe('private notices over SSE (watchRoom)', () => {
  const NodeEventSource = EventSource as unknown as EventSourceLike;
  const NodeWebSocket = WebSocket as unknown as WebSocketLike;

  it("reach the signed-in reader's own feed only: not another user's, not a signed-out one", async () => {
    const server = await startTestServer();
    const watchers: RoomWatcher[] = [];
    try {
      const room = await createRoom(server.url);
      const feeds = { ann: [] as PrivateNotice[], bob: [] as PrivateNotice[], anonymous: [] as PrivateNotice[] };
      const rooms = { ann: 0, bob: 0, anonymous: 0 };
      const notifications = { ann: 0, bob: 0, anonymous: 0 };
      for (const who of ['ann', 'bob', 'anonymous'] as const) {
        const token = who === 'anonymous' ? undefined : await devToken(server.url, who);
        watchers.push(
          watchRoom(server.url, room.productId, {
            ...(token === undefined ? {} : { getToken: () => token }),
            EventSource: NodeEventSource,
            onRoom: () => (rooms[who] += 1),
            onNotice: (notice) => feeds[who].push(notice),
            onNotification: () => (notifications[who] += 1),
          }),
        );
      }
      await waitFor('every feed to be open', () => rooms.ann > 0 && rooms.bob > 0 && rooms.anonymous > 0);

      const annToken = await devToken(server.url, 'ann');
      const ann = testClient({
        baseUrl: server.url,
        getToken: () => annToken,
        transport: stompTransport({ WebSocket: NodeWebSocket }),
      }).room(room.productId);
      await live(ann, 'ann');
      ann.send(PHONE);
      await waitFor("ann's feed to be told", () => feeds.ann.length > 0);
      expect(feeds.ann).toEqual([expect.objectContaining({ kind: 'PII_MASKED', found: ['phone'] })]);
      // A notification after the notice: once every feed has it, a leaked notice would have come by too.
      await notify(server.url, room.productId, '금요일 출고 예정입니다');
      await waitFor('every feed to get the notification', () => notifications.bob > 0 && notifications.anonymous > 0);
      expect(feeds.bob).toEqual([]);
      expect(feeds.anonymous).toEqual([]);
    } finally {
      for (const watcher of watchers) watcher.close();
      closeClients();
      await server.dispose();
    }
  });
});
