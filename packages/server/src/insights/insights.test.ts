import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVITE_CODE_PATTERN, type ChatMessage, type RoomStats } from '@groupbuy/protocol';
import type { Clock } from '../rooms/service.js';
import {
  api,
  connectStomp,
  createRoom,
  startTestServer,
  tokenFor,
  waitFor,
  type StompPeer,
  type TestServer,
} from '../test-support/harness.js';

// Invite attribution and the seller's funnel (issue 12) against a real server: REST for invites, joins
// and stats, STOMP for the views, the chat and the JOINED event with invitedBy; SQLite file underneath.

let now = Date.now();
const clock: Clock = { now: () => now };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(async () => {
  await server.dispose();
});

async function shopper(userId: string, name: string): Promise<{ token: string; userId: string }> {
  return { token: await tokenFor(userId, { name }), userId };
}

function joinedEvents(peer: StompPeer, roomId: string): ChatMessage[] {
  const bySeq = new Map((peer.messages.get(roomId) ?? []).map((m) => [m.seq, m]));
  return [...bySeq.values()].filter((m) => m.type === 'SYSTEM' && m.event?.type === 'JOINED');
}

describe('invite links', () => {
  it('answers the same random, URL-safe code for the same user and room on every call', async () => {
    const room = await createRoom(server);
    const other = await createRoom(server);
    const minji = await shopper('inv-minji', '민지');
    const first = await api(server, 'POST', `/api/chat/rooms/${room.productId}/invites`, { token: minji.token });
    expect(first.status).toBe(200);
    expect(first.body.code).toMatch(INVITE_CODE_PATTERN);
    expect(first.body.param).toBe(`gb_ref=${first.body.code}`);
    expect(first.body.code).not.toContain('inv-minji');
    const again = await api(server, 'POST', `/api/chat/rooms/${room.productId}/invites`, { token: minji.token });
    expect(again.body).toEqual(first.body);
    const elsewhere = await api(server, 'POST', `/api/chat/rooms/${other.productId}/invites`, { token: minji.token });
    expect(elsewhere.body.code).not.toBe(first.body.code);
    const bora = await shopper('inv-bora', 'Bora');
    const hers = await api(server, 'POST', `/api/chat/rooms/${room.productId}/invites`, { token: bora.token });
    expect(hers.body.code).not.toBe(first.body.code);
  });

  it('refuses the trade service, a signed-out caller and an unknown room', async () => {
    const room = await createRoom(server);
    const service = await tokenFor('trade-service', { role: 'service' });
    const refused = await api(server, 'POST', `/api/chat/rooms/${room.productId}/invites`, { token: service });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await api(server, 'POST', `/api/chat/rooms/${room.productId}/invites`)).status).toBe(401);
    const minji = await shopper('inv-minji', '민지');
    expect((await api(server, 'POST', '/api/chat/rooms/no-such-room/invites', { token: minji.token })).body.error.code).toBe(
      'ROOM_NOT_FOUND',
    );
  });

  it('ignores an unknown, foreign or own code (the join still succeeds) and refuses a ref that is not text', async () => {
    const room = await createRoom(server);
    const other = await createRoom(server);
    const minji = await shopper('inv-minji', '민지');
    const { body: own } = await api(server, 'POST', `/api/chat/rooms/${room.productId}/invites`, { token: minji.token });
    const { body: foreign } = await api(server, 'POST', `/api/chat/rooms/${other.productId}/invites`, { token: minji.token });
    const path = `/api/chat/rooms/${room.productId}/participants`;
    const bad = await api(server, 'POST', path, { token: minji.token, body: { ref: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    expect((await api(server, 'POST', path, { token: minji.token, body: { ref: own.code } })).status).toBe(201);
    const bora = await shopper('inv-bora', 'Bora');
    expect((await api(server, 'POST', path, { token: bora.token, body: { ref: foreign.code } })).status).toBe(201);
    const chul = await shopper('inv-chul', 'Chul');
    expect((await api(server, 'POST', path, { token: chul.token, body: { ref: 'not-a-code' } })).status).toBe(201);
    const dana = await shopper('inv-dana', 'Dana');
    expect((await api(server, 'POST', path, { token: dana.token })).status).toBe(201);
    const history = await api(server, 'GET', `/api/chat/rooms/${room.productId}/messages`, { token: dana.token });
    const joins = (history.body.messages as ChatMessage[]).filter((m) => m.event?.type === 'JOINED');
    expect(joins).toHaveLength(4);
    for (const m of joins) expect(m.event?.invitedBy).toBeUndefined();
  });
});

describe('the seller’s funnel', () => {
  it('counts 5 viewers, 3 chatters, 3 joins (2 via invite), 1 leave and the fill exactly', async () => {
    const t0 = (now = Date.now());
    const room = await createRoom(server, { maxParticipants: 2, minParticipants: 1, hostId: 'funnel-seller' });
    const id = room.productId;
    const [minji, bora, chul, dana, eun] = await Promise.all([
      shopper('f-minji', '민지'),
      shopper('f-bora', 'Bora'),
      shopper('f-chul', 'Chul'),
      shopper('f-dana', 'Dana'),
      shopper('f-eun', 'Eun'),
    ]);
    const viewers = [minji, bora, chul, dana, eun];
    const peers: StompPeer[] = [];
    try {
      for (const [i, v] of viewers.entries()) {
        now = t0 + (i + 1) * 1_000;
        const peer = await connectStomp(server, v.token);
        peers.push(peer);
        await peer.subscribe(id);
      }
      // A second subscription is not a second view, and the trade service's subscription is none at all.
      await peers[0]?.subscribe(id);
      const servicePeer = await connectStomp(server, await tokenFor('trade-service', { role: 'service' }));
      peers.push(servicePeer);
      await servicePeer.subscribe(id);
      const [minjiPeer, boraPeer, chulPeer] = peers;
      if (!minjiPeer || !boraPeer || !chulPeer) throw new Error('peers');
      now = t0 + 6_000;
      for (const [peer, text] of [
        [minjiPeer, '배송은 언제인가요?'],
        [minjiPeer, '제주 감귤 맞나요?'],
        [boraPeer, '저도 궁금해요'],
        [chulPeer, '좋아요'],
      ] as const) {
        expect((await peer.send(id, { content: text, clientMsgId: crypto.randomUUID() })).ok).toBe(true);
      }
      const { body: invite } = await api(server, 'POST', `/api/chat/rooms/${id}/invites`, { token: minji.token });

      now = t0 + 10_000;
      const joinPath = `/api/chat/rooms/${id}/participants`;
      expect((await api(server, 'POST', joinPath, { token: bora.token, body: { ref: invite.code } })).status).toBe(201);
      now = t0 + 20_000;
      expect((await api(server, 'DELETE', `${joinPath}/me`, { token: bora.token })).status).toBe(200);
      now = t0 + 30_000;
      expect((await api(server, 'POST', joinPath, { token: chul.token, body: { ref: invite.code } })).status).toBe(201);
      now = t0 + 40_000;
      const filled = await api(server, 'POST', joinPath, { token: dana.token, body: {} });
      expect(filled.status).toBe(201);
      expect(filled.body.status).toBe('CLOSED');

      // The realtime JOINED event names the inviter (Chul stays a buyer, so his subscription outlives the
      // fill); its English fallback text says so too.
      const joined = await waitFor(() => (joinedEvents(chulPeer, id).length === 3 ? joinedEvents(chulPeer, id) : null));
      expect(joined.map((m) => m.event?.invitedBy ?? null)).toEqual([
        { userId: 'f-minji', name: '민지' },
        { userId: 'f-minji', name: '민지' },
        null,
      ]);
      expect(joined[0]?.content).toBe('Bora joined the deal, invited by 민지 (1/2).');

      now = t0 + 120_000;
      const expected: RoomStats = {
        uniqueViewers: 5,
        chatters: 3,
        joiners: 3,
        leavers: 1,
        messagesPerMinute: 2,
        // Bora 10 s − 2 s, Chul 30 s − 3 s, Dana 40 s − 4 s.
        medianViewToJoinMs: 27_000,
        timeToFillMs: 40_000,
        inviters: [{ userId: 'f-minji', name: '민지', joins: 2 }],
        participantsOverTime: [
          { at: new Date(t0 + 10_000).toISOString(), count: 1 },
          { at: new Date(t0 + 20_000).toISOString(), count: 0 },
          { at: new Date(t0 + 30_000).toISOString(), count: 1 },
          { at: new Date(t0 + 40_000).toISOString(), count: 2 },
        ],
      };
      const service = await tokenFor('trade-service', { role: 'service' });
      const seller = await tokenFor('funnel-seller', { name: 'Seller' });
      for (const token of [service, seller]) {
        const stats = await api(server, 'GET', `/api/chat/rooms/${id}/stats`, { token });
        expect(stats.status).toBe(200);
        expect(stats.body).toEqual(expected);
      }
      const buyer = await api(server, 'GET', `/api/chat/rooms/${id}/stats`, { token: chul.token });
      expect(buyer.status).toBe(403);
      expect(buyer.body.error.code).toBe('FORBIDDEN');
      expect((await api(server, 'GET', `/api/chat/rooms/${id}/stats`)).status).toBe(401);
    } finally {
      for (const p of peers) await p.close();
      now = Date.now();
    }
  });

  it('exports totals without user or room labels on /metrics', async () => {
    const text = String((await api(server, 'GET', '/metrics')).body);
    for (const line of text.split('\n').filter((l) => /^groupbuy_(room_views|joins|invites_created)_total/.test(l))) {
      expect(line).not.toMatch(/room=|user=|product/);
    }
    expect(text).toMatch(/^groupbuy_joins_total\{via="invite"\} [1-9]/m);
    expect(text).toMatch(/^groupbuy_joins_total\{via="direct"\} [1-9]/m);
    expect(text).toMatch(/^groupbuy_room_views_total [1-9]/m);
    expect(text).toMatch(/^groupbuy_invites_created_total [1-9]/m);
  });
});
