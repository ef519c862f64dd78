import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type ChatMessage, type ErrorCode, type RoomView } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import { api, createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';

const ROOMS = '/api/chat/rooms';

let server: TestServer;
let service: string;
beforeAll(async () => {
  server = await startTestServer();
  service = await tokenFor('trade-service', { role: 'service' });
});
afterAll(async () => {
  await server.dispose();
});

let idCounter = 0;
/** A product id no other test in this file uses. */
function uniqueId(prefix = 'rest'): string {
  return `${prefix}-${Date.now().toString(36)}-${(idCounter++).toString(36)}`;
}

function inOneHour(): string {
  return new Date(Date.now() + 3_600_000).toISOString();
}

/** A valid body for POST /rooms, with `overrides` applied. */
function roomBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { productId: uniqueId(), title: 'Jeju tangerines 5 kg', maxParticipants: 10, expiresAt: inOneHour(), ...overrides };
}

/** Asserts the error envelope `{ error: { code, message } }` with its HTTP status. */
function expectError(res: { status: number; body: any }, status: number, code: ErrorCode): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error: { code, message: expect.stringMatching(/\S/) } },
  });
}

async function join(productId: string, userId: string) {
  return api(server, 'POST', `${ROOMS}/${productId}/participants`, { token: await tokenFor(userId) });
}

describe('POST /api/chat/rooms', () => {
  it('creates a room for the trade service with 201, ACTIVE, empty, and minParticipants defaulting to the cap', async () => {
    const body = roomBody({ maxParticipants: 7 });
    const res = await api(server, 'POST', ROOMS, { token: service, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      productId: body['productId'],
      title: 'Jeju tangerines 5 kg',
      status: 'ACTIVE',
      maxParticipants: 7,
      minParticipants: 7,
      participantCount: 0,
      expiresAt: body['expiresAt'],
      createdAt: expect.any(String),
      closedAt: null,
      hostId: null,
      lastSeq: 0,
      // Moderation (issue 11): a new room has slow mode off and nothing pinned.
      slowModeMs: 0,
      pinned: null,
    });
  });

  it('keeps the given minParticipants and hostId', async () => {
    const res = await api(server, 'POST', ROOMS, { token: service, body: roomBody({ minParticipants: 3, hostId: 'seller-1' }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ minParticipants: 3, hostId: 'seller-1' });
  });

  it('answers a second create for the same productId with 200 and the existing room, unchanged', async () => {
    const first = await api(server, 'POST', ROOMS, { token: service, body: roomBody({ productId: uniqueId('idem') }) });
    await join(first.body.productId, 'early-bird');
    const again = await api(server, 'POST', ROOMS, {
      token: service,
      body: roomBody({ productId: first.body.productId, title: 'Another title', maxParticipants: 99, minParticipants: 2 }),
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, participantCount: 1, lastSeq: 1 });
  });

  it('creates the room once when the same productId is posted concurrently', async () => {
    const body = roomBody();
    const results = await Promise.all(Array.from({ length: 8 }, () => api(server, 'POST', ROOMS, { token: service, body })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.createdAt)).size).toBe(1);
  });

  it('refuses a shopper with 403 FORBIDDEN', async () => {
    expectError(await api(server, 'POST', ROOMS, { token: await tokenFor('shopper'), body: roomBody() }), 403, 'FORBIDDEN');
  });

  it.each([
    ['an empty productId', { productId: '' }],
    ['a productId of 65 characters', { productId: 'a'.repeat(65) }],
    ['a productId with a slash', { productId: 'a/b' }],
    ['a productId with a dot', { productId: 'a.b' }],
    ['a productId with a space', { productId: 'a b' }],
    ['a productId that is a number', { productId: 42 }],
    ['a missing title', { title: undefined }],
    ['a blank title', { title: '   ' }],
    [`a title over ${LIMITS.titleMaxChars} characters`, { title: 't'.repeat(LIMITS.titleMaxChars + 1) }],
    ['maxParticipants 1', { maxParticipants: 1 }],
    ['maxParticipants 10001', { maxParticipants: 10_001 }],
    ['a fractional maxParticipants', { maxParticipants: 2.5 }],
    ['maxParticipants as a string', { maxParticipants: '10' }],
    ['a missing maxParticipants', { maxParticipants: undefined }],
    ['minParticipants 0', { minParticipants: 0 }],
    ['minParticipants above maxParticipants', { maxParticipants: 5, minParticipants: 6 }],
    ['a fractional minParticipants', { minParticipants: 1.5 }],
    ['expiresAt in the past', { expiresAt: new Date(Date.now() - 60_000).toISOString() }],
    ['expiresAt that is not a date', { expiresAt: 'tomorrow' }],
    ['a missing expiresAt', { expiresAt: undefined }],
    ['an empty hostId', { hostId: '' }],
  ])('refuses %s with 400 INVALID_INPUT', async (_what, overrides) => {
    const body = roomBody(overrides);
    expectError(await api(server, 'POST', ROOMS, { token: service, body }), 400, 'INVALID_INPUT');
    if (typeof body['productId'] === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(body['productId'])) {
      expectError(await api(server, 'GET', `${ROOMS}/${body['productId']}`, { token: service }), 404, 'ROOM_NOT_FOUND');
    }
  });

  it.each([
    [
      'a productId of 64 characters of every allowed kind',
      { productId: `Az09_-${'x'.repeat(52)}${(idCounter++).toString().padStart(6, '0')}` },
    ],
    ['maxParticipants 2', { maxParticipants: 2 }],
    ['maxParticipants 10000', { maxParticipants: 10_000 }],
    ['minParticipants 1', { minParticipants: 1 }],
    ['minParticipants equal to maxParticipants', { maxParticipants: 4, minParticipants: 4 }],
  ])('accepts %s', async (_what, overrides) => {
    const res = await api(server, 'POST', ROOMS, { token: service, body: roomBody(overrides) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(overrides);
  });

  it('refuses a JSON body that is not an object with 400 INVALID_INPUT', async () => {
    expectError(await api(server, 'POST', ROOMS, { token: service, rawBody: '["p1"]' }), 400, 'INVALID_INPUT');
  });
});

describe('GET /api/chat/rooms/{id}', () => {
  it('returns the room to any signed-in user', async () => {
    const room = await createRoom(server);
    const res = await api(server, 'GET', `${ROOMS}/${room.productId}`, { token: await tokenFor('window-shopper') });
    expect(res.status).toBe(200);
    // A signed-in caller also gets their unread count (issue 12).
    expect(res.body).toEqual({ ...room, unreadCount: 0 });
  });

  it('answers an unknown product with 404 ROOM_NOT_FOUND', async () => {
    expectError(await api(server, 'GET', `${ROOMS}/${uniqueId('nope')}`, { token: service }), 404, 'ROOM_NOT_FOUND');
  });

  it('answers a malformed product id with 400 INVALID_INPUT', async () => {
    expectError(await api(server, 'GET', `${ROOMS}/${'x'.repeat(65)}`, { token: service }), 400, 'INVALID_INPUT');
  });
});

describe('GET /api/chat/rooms/{id}/messages', () => {
  let productId: string;
  beforeAll(async () => {
    productId = (await createRoom(server)).productId;
    // Sequential, so notice n carries seq n.
    for (let i = 1; i <= 120; i++) {
      const res = await api(server, 'POST', `${ROOMS}/${productId}/notifications`, { token: service, body: { content: `notice ${i}` } });
      if (res.status !== 201) throw new Error(`notice ${i}: ${res.status}`);
    }
  });

  async function page(query: string): Promise<{ seqs: number[]; hasMore: boolean; messages: ChatMessage[] }> {
    const res = await api(server, 'GET', `${ROOMS}/${productId}/messages${query}`, { token: await tokenFor('reader') });
    expect(res.status).toBe(200);
    const messages = res.body.messages as ChatMessage[];
    return { seqs: messages.map((m) => m.seq), hasMore: res.body.hasMore, messages };
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('returns the latest 50, ascending, with hasMore, by default', async () => {
    const { seqs, hasMore, messages } = await page('');
    expect(seqs).toEqual(range(71, 120));
    expect(hasMore).toBe(true);
    expect(messages[0]).toMatchObject({ roomId: productId, type: 'NOTIFICATION', sender: null, content: 'notice 71' });
  });

  it('pages backwards with before until hasMore is false', async () => {
    expect(await page('?before=71')).toMatchObject({ seqs: range(21, 70), hasMore: true });
    expect(await page('?before=21')).toMatchObject({ seqs: range(1, 20), hasMore: false });
    expect(await page('?before=1')).toMatchObject({ seqs: [], hasMore: false });
  });

  it('pages forwards with after, oldest first', async () => {
    expect(await page('?after=0&limit=30')).toMatchObject({ seqs: range(1, 30), hasMore: true });
    expect(await page('?after=100')).toMatchObject({ seqs: range(101, 120), hasMore: false });
    expect(await page('?after=120')).toMatchObject({ seqs: [], hasMore: false });
  });

  it('returns the messages strictly between after and before when both are given', async () => {
    expect(await page('?after=10&before=15')).toMatchObject({ seqs: [11, 12, 13, 14], hasMore: false });
  });

  it('honours limit up to 100', async () => {
    expect(await page('?limit=1')).toMatchObject({ seqs: [120], hasMore: true });
    expect(await page('?limit=100')).toMatchObject({ seqs: range(21, 120), hasMore: true });
  });

  it.each([
    ['limit=101', '?limit=101'],
    ['limit=0', '?limit=0'],
    ['a negative after', '?after=-1'],
    ['a non-numeric before', '?before=abc'],
    ['a fractional limit', '?limit=2.5'],
  ])('refuses %s with 400 INVALID_INPUT', async (_what, query) => {
    expectError(await api(server, 'GET', `${ROOMS}/${productId}/messages${query}`, { token: service }), 400, 'INVALID_INPUT');
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    expectError(await api(server, 'GET', `${ROOMS}/${uniqueId('nope')}/messages`, { token: service }), 404, 'ROOM_NOT_FOUND');
  });
});

describe('POST /api/chat/rooms/{id}/participants', () => {
  it('joins with 201 and answers a repeated join with 200 and the same count', async () => {
    const room = await createRoom(server);
    const first = await join(room.productId, 'kim');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ productId: room.productId, participantCount: 1, status: 'ACTIVE' });
    const again = await join(room.productId, 'kim');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('rejects the 11th join when max is 10 with 409 ROOM_FULL', async () => {
    const room = await createRoom(server, { maxParticipants: 10 });
    for (let i = 1; i <= 10; i++) expect((await join(room.productId, `buyer-${i}`)).status).toBe(201);
    expectError(await join(room.productId, 'buyer-11'), 409, 'ROOM_FULL');
  });

  it('answers a buyer who joins again after the deal filled with 200, not an error', async () => {
    const room = await createRoom(server, { maxParticipants: 2 });
    await join(room.productId, 'x1');
    await join(room.productId, 'x2');
    const again = await join(room.productId, 'x2');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'CLOSED', participantCount: 2 });
  });

  it('rejects a join after the host closed the deal with 409 ROOM_NOT_ACTIVE', async () => {
    const room = await createRoom(server);
    await join(room.productId, 'first');
    expect((await api(server, 'POST', `${ROOMS}/${room.productId}/close`, { token: service })).status).toBe(200);
    expectError(await join(room.productId, 'latecomer'), 409, 'ROOM_NOT_ACTIVE');
  });

  it('refuses the trade service with 403 FORBIDDEN', async () => {
    const room = await createRoom(server);
    expectError(await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: service }), 403, 'FORBIDDEN');
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    expectError(await join(uniqueId('nope'), 'kim'), 404, 'ROOM_NOT_FOUND');
  });
});

describe('DELETE /api/chat/rooms/{id}/participants/me', () => {
  it('leaves an ACTIVE deal and returns the room with one buyer fewer', async () => {
    const room = await createRoom(server);
    await join(room.productId, 'stay');
    await join(room.productId, 'go');
    const res = await api(server, 'DELETE', `${ROOMS}/${room.productId}/participants/me`, { token: await tokenFor('go') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ productId: room.productId, participantCount: 1, status: 'ACTIVE' });
    const list = await api(server, 'GET', `${ROOMS}/${room.productId}/participants`, { token: service });
    expect(list.body.participants.map((p: { userId: string }) => p.userId)).toEqual(['stay']);
  });

  it('answers a user who is not in the deal with the room unchanged', async () => {
    const room = await createRoom(server);
    const res = await api(server, 'DELETE', `${ROOMS}/${room.productId}/participants/me`, { token: await tokenFor('stranger') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(room);
  });

  it('refuses to leave a CLOSED deal with 409 ROOM_NOT_ACTIVE', async () => {
    const room = await createRoom(server, { maxParticipants: 2 });
    await join(room.productId, 'a');
    await join(room.productId, 'b');
    const res = await api(server, 'DELETE', `${ROOMS}/${room.productId}/participants/me`, { token: await tokenFor('a') });
    expectError(res, 409, 'ROOM_NOT_ACTIVE');
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    const res = await api(server, 'DELETE', `${ROOMS}/${uniqueId('nope')}/participants/me`, { token: await tokenFor('a') });
    expectError(res, 404, 'ROOM_NOT_FOUND');
  });
});

describe('GET /api/chat/rooms/{id}/participants', () => {
  it('lists the buyers in join order with the name from their token and when they joined', async () => {
    const room = await createRoom(server);
    await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: await tokenFor('lee', { name: '이지은' }) });
    await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: await tokenFor('park', { name: 'Park' }) });
    const res = await api(server, 'GET', `${ROOMS}/${room.productId}/participants`, { token: await tokenFor('watcher') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      participants: [
        { userId: 'lee', name: '이지은', joinedAt: expect.any(String) },
        { userId: 'park', name: 'Park', joinedAt: expect.any(String) },
      ],
    });
    expect(Number.isNaN(Date.parse(res.body.participants[0].joinedAt))).toBe(false);
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    expectError(await api(server, 'GET', `${ROOMS}/${uniqueId('nope')}/participants`, { token: service }), 404, 'ROOM_NOT_FOUND');
  });
});

describe('GET /api/chat/rooms/{id}/view', () => {
  // What a chat opens with: the room as the caller sees it, the latest page, the buyers, in one request.
  const get = async (path: string, userId?: string) => api(server, 'GET', path, userId ? { token: await tokenFor(userId) } : {});

  let productId: string;
  beforeAll(async () => {
    productId = (await createRoom(server, { maxParticipants: 10 })).productId;
    for (const userId of ['lee', 'park']) {
      const res = await api(server, 'POST', `${ROOMS}/${productId}/participants`, {
        token: await tokenFor(userId, { name: `Name ${userId}` }),
      });
      if (res.status !== 201) throw new Error(`join ${userId}: ${res.status}`);
    }
    // Sequential, so the seqs are 3…62 after the two JOINED messages.
    for (let i = 1; i <= 60; i++) {
      const res = await api(server, 'POST', `${ROOMS}/${productId}/notifications`, { token: service, body: { content: `notice ${i}` } });
      if (res.status !== 201) throw new Error(`notice ${i}: ${res.status}`);
    }
  });

  it('answers the room, the latest 50 and the buyers exactly as the three reads do', async () => {
    const view = await get(`${ROOMS}/${productId}/view`, 'watcher');
    expect(view.status).toBe(200);
    const [room, messages, participants] = await Promise.all(
      ['', '/messages', '/participants'].map((path) => get(`${ROOMS}/${productId}${path}`, 'watcher')),
    );
    expect(view.body).toEqual({ room: room!.body, history: messages!.body, participants: participants!.body.participants });
    const body = view.body as RoomView;
    expect(body.history.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 13 + i));
    expect(body.history.hasMore).toBe(true);
    expect(body.participants.map((p) => p.userId)).toEqual(['lee', 'park']);
    expect(body.room).toMatchObject({ productId, participantCount: 2, lastSeq: 62, unreadCount: 60 }); // the SYSTEM lines are not unread
  });

  it("carries the caller's own read position", async () => {
    const token = await tokenFor('reader-r');
    expect((await api(server, 'POST', `${ROOMS}/${productId}/read`, { token, body: { seq: 60 } })).status).toBe(200);
    expect((await api(server, 'GET', `${ROOMS}/${productId}/view`, { token })).body.room.unreadCount).toBe(2);
  });

  it('honours limit, and refuses one out of range with 400 INVALID_INPUT', async () => {
    const res = await get(`${ROOMS}/${productId}/view?limit=5`, 'watcher');
    expect(res.body.history.messages.map((m: { seq: number }) => m.seq)).toEqual([58, 59, 60, 61, 62]);
    expectError(await get(`${ROOMS}/${productId}/view?limit=101`, 'watcher'), 400, 'INVALID_INPUT');
    expectError(await get(`${ROOMS}/${productId}/view?limit=x`, 'watcher'), 400, 'INVALID_INPUT');
  });

  it('needs a token (the history is for readers), unlike the bare room', async () => {
    expectError(await get(`${ROOMS}/${productId}/view`), 401, 'UNAUTHENTICATED');
    expect((await get(`${ROOMS}/${productId}`)).status).toBe(200);
  });

  it('refuses a watcher of an ended deal with 403 FORBIDDEN, as the history does, and still answers a buyer', async () => {
    const closed = (await createRoom(server)).productId;
    await api(server, 'POST', `${ROOMS}/${closed}/participants`, { token: await tokenFor('lee') });
    expect((await api(server, 'POST', `${ROOMS}/${closed}/close`, { token: service })).status).toBe(200);
    expectError(await get(`${ROOMS}/${closed}/view`, 'watcher'), 403, 'FORBIDDEN');
    expectError(await get(`${ROOMS}/${closed}/messages`, 'watcher'), 403, 'FORBIDDEN');
    const buyer = await get(`${ROOMS}/${closed}/view`, 'lee');
    expect(buyer.status).toBe(200);
    expect(buyer.body.room.status).toBe('CLOSED');
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND and a malformed id with 400 INVALID_INPUT', async () => {
    expectError(await get(`${ROOMS}/${uniqueId('nope')}/view`, 'watcher'), 404, 'ROOM_NOT_FOUND');
    expectError(await get(`${ROOMS}/${'x'.repeat(300)}/view`, 'watcher'), 400, 'INVALID_INPUT');
  });
});

describe('POST /api/chat/rooms/{id}/close and /cancel', () => {
  it.each(['close', 'cancel'] as const)('lets the trade service %s a deal', async (action) => {
    const room = await createRoom(server);
    const res = await api(server, 'POST', `${ROOMS}/${room.productId}/${action}`, { token: service });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      productId: room.productId,
      status: action === 'close' ? 'CLOSED' : 'CANCELLED',
      closedAt: expect.any(String),
    });
  });

  it.each(['close', 'cancel'] as const)("lets the room's host %s the deal", async (action) => {
    const room = await createRoom(server, { hostId: 'seller-7' });
    const res = await api(server, 'POST', `${ROOMS}/${room.productId}/${action}`, { token: await tokenFor('seller-7') });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(action === 'close' ? 'CLOSED' : 'CANCELLED');
  });

  it.each(['close', 'cancel'] as const)('refuses a shopper who is not the host (%s) with 403 FORBIDDEN', async (action) => {
    const room = await createRoom(server, { hostId: 'seller-7' });
    await join(room.productId, 'buyer');
    expectError(await api(server, 'POST', `${ROOMS}/${room.productId}/${action}`, { token: await tokenFor('buyer') }), 403, 'FORBIDDEN');
    expect((await api(server, 'GET', `${ROOMS}/${room.productId}`, { token: service })).body.status).toBe('ACTIVE');
  });

  it('refuses to end a deal that has already ended with 409 ROOM_NOT_ACTIVE', async () => {
    const room = await createRoom(server);
    await api(server, 'POST', `${ROOMS}/${room.productId}/cancel`, { token: service });
    expectError(await api(server, 'POST', `${ROOMS}/${room.productId}/close`, { token: service }), 409, 'ROOM_NOT_ACTIVE');
    expectError(await api(server, 'POST', `${ROOMS}/${room.productId}/cancel`, { token: service }), 409, 'ROOM_NOT_ACTIVE');
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    expectError(await api(server, 'POST', `${ROOMS}/${uniqueId('nope')}/close`, { token: service }), 404, 'ROOM_NOT_FOUND');
  });
});

describe('POST /api/chat/rooms/{id}/notifications', () => {
  it('stores a notice from the trade service as a NOTIFICATION without a sender', async () => {
    const room = await createRoom(server);
    const res = await api(server, 'POST', `${ROOMS}/${room.productId}/notifications`, {
      token: service,
      body: { content: '  Ships Monday\r\n' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      roomId: room.productId,
      seq: 1,
      type: 'NOTIFICATION',
      sender: null,
      content: 'Ships Monday',
      createdAt: expect.any(String),
    });
  });

  it("stores a notice from the room's host with the host as sender", async () => {
    const room = await createRoom(server, { hostId: 'seller-9' });
    const res = await api(server, 'POST', `${ROOMS}/${room.productId}/notifications`, {
      token: await tokenFor('seller-9', { name: 'Orchard' }),
      body: { content: 'Fresh batch' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'NOTIFICATION', sender: { userId: 'seller-9', name: 'Orchard' }, content: 'Fresh batch' });
  });

  it('refuses a shopper who is not the host with 403 FORBIDDEN', async () => {
    const room = await createRoom(server, { hostId: 'seller-9' });
    const res = await api(server, 'POST', `${ROOMS}/${room.productId}/notifications`, {
      token: await tokenFor('buyer'),
      body: { content: 'Fake notice' },
    });
    expectError(res, 403, 'FORBIDDEN');
  });

  it.each([
    ['empty content', { content: ' \n ' }],
    ['missing content', {}],
    [`content over ${LIMITS.contentMaxChars} characters`, { content: 'x'.repeat(LIMITS.contentMaxChars + 1) }],
    ['a body that is not an object', 'just text'],
  ])('refuses %s with 400 INVALID_INPUT', async (_what, body) => {
    const room = await createRoom(server);
    expectError(await api(server, 'POST', `${ROOMS}/${room.productId}/notifications`, { token: service, body }), 400, 'INVALID_INPUT');
  });

  it('answers an unknown room with 404 ROOM_NOT_FOUND', async () => {
    const res = await api(server, 'POST', `${ROOMS}/${uniqueId('nope')}/notifications`, { token: service, body: { content: 'hi' } });
    expectError(res, 404, 'ROOM_NOT_FOUND');
  });
});

describe('request errors', () => {
  it('refuses a body over 16 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = roomBody({ title: 'x'.repeat(LIMITS.bodyMaxBytes) });
    expectError(await api(server, 'POST', ROOMS, { token: service, body }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await api(server, 'GET', `${ROOMS}/${String(body['productId'])}`, { token: service }), 404, 'ROOM_NOT_FOUND');
  });

  it('refuses an oversized body sent without Content-Length (chunked) with 413 PAYLOAD_TOO_LARGE', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${server.url}${ROOMS}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${service}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expectError({ status: res.status, body: await res.json() }, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a body that is not JSON with 400 INVALID_INPUT', async () => {
    expectError(await api(server, 'POST', ROOMS, { token: service, rawBody: '{"productId": ' }), 400, 'INVALID_INPUT');
    const room = await createRoom(server);
    const notice = await api(server, 'POST', `${ROOMS}/${room.productId}/notifications`, { token: service, rawBody: 'hello' });
    expectError(notice, 400, 'INVALID_INPUT');
    // A join's body is optional (an invite code), but one that is sent must be JSON.
    const buyer = await tokenFor('json-buyer');
    const join = await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: buyer, rawBody: '{"ref": ' });
    expectError(join, 400, 'INVALID_INPUT');
    expect(join.body.error.message).toBe('The request body must be JSON (or empty).');
    expect((await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: buyer, rawBody: ' ' })).status).toBe(201);
  });

  it.each([
    ['GET', ROOMS],
    ['GET', `${ROOMS}/p1/unknown`],
    ['PUT', `${ROOMS}/p1`],
    ['DELETE', `${ROOMS}/p1/participants/someone-else`],
    ['GET', '/api/other'],
    ['GET', '/nothing-here'],
  ])('answers %s %s with 404 NOT_FOUND', async (method, path) => {
    expectError(await api(server, method, path, { token: service }), 404, 'NOT_FOUND');
  });

  it.each([
    ['POST', ROOMS],
    ['GET', `${ROOMS}/p1/messages`],
    ['GET', `${ROOMS}/p1/participants`],
    ['GET', `${ROOMS}/p1/viewers`],
    ['POST', `${ROOMS}/p1/participants`],
    ['DELETE', `${ROOMS}/p1/participants/me`],
    ['POST', `${ROOMS}/p1/close`],
    ['POST', `${ROOMS}/p1/cancel`],
    ['POST', `${ROOMS}/p1/notifications`],
  ])('answers %s %s without a token with 401 UNAUTHENTICATED', async (method, path) => {
    const body = method === 'POST' ? { content: 'x' } : undefined;
    expectError(await api(server, method, path, { body }), 401, 'UNAUTHENTICATED');
  });

  it('does not take a token from the query string outside the SSE feed', async () => {
    const room = await createRoom(server);
    const res = await api(server, 'GET', `${ROOMS}/${room.productId}/messages?token=${service}`);
    expectError(res, 401, 'UNAUTHENTICATED');
  });
});

describe('signed-out visitors (the public product-page information)', () => {
  it('get the room snapshot without a token', async () => {
    const room = await createRoom(server, { hostId: 'seller-anon' });
    const res = await api(server, 'GET', `${ROOMS}/${room.productId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(room);
  });

  it('get the snapshot of a CANCELLED deal too (its status is what the product page shows)', async () => {
    const room = await createRoom(server);
    await api(server, 'POST', `${ROOMS}/${room.productId}/cancel`, { token: service });
    const res = await api(server, 'GET', `${ROOMS}/${room.productId}`);
    expect({ status: res.status, roomStatus: res.body.status }).toEqual({ status: 200, roomStatus: 'CANCELLED' });
  });

  it('get 404 ROOM_NOT_FOUND for an unknown room, as signed-in users do', async () => {
    expectError(await api(server, 'GET', `${ROOMS}/${uniqueId('nobody')}`), 404, 'ROOM_NOT_FOUND');
  });

  it.each([
    ['the history', 'GET', 'messages'],
    ['the buyers', 'GET', 'participants'],
    ['who is watching', 'GET', 'viewers'],
    ['joining', 'POST', 'participants'],
    ['posting a notice', 'POST', 'notifications'],
  ])('are refused %s with 401 UNAUTHENTICATED', async (_what, method, sub) => {
    const room = await createRoom(server);
    const body = method === 'POST' ? { content: 'x' } : undefined;
    expectError(await api(server, method, `${ROOMS}/${room.productId}/${sub}`, { body }), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['an expired token', async () => ({ Authorization: `Bearer ${await tokenFor('late', { ttlSeconds: -60 })}` })],
    ['a token signed with another secret', async () => ({ Authorization: `Bearer ${(await tokenFor('x')).slice(0, -4)}AAAA` })],
    ['a malformed Authorization header', async () => ({ Authorization: 'Basic YTpi' })],
    ['an empty Bearer', async () => ({ Authorization: 'Bearer ' })],
  ])('are not what a request with %s becomes: it is still refused with 401', async (_what, headers) => {
    const room = await createRoom(server);
    expectError(await api(server, 'GET', `${ROOMS}/${room.productId}`, { headers: await headers() }), 401, 'UNAUTHENTICATED');
  });
});

describe('health and metrics', () => {
  it('answers GET /healthz without a token, with a Date header', async () => {
    const res = await api(server, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', connections: expect.any(Number) });
    expect(res.headers.get('date')).toBeTruthy();
  });

  it('counts sends that succeed and sends that fail, by code, in Prometheus text at GET /metrics', async () => {
    const own = await startTestServer();
    try {
      const room = await createRoom(own);
      const cancelled = await createRoom(own);
      await api(own, 'POST', `${ROOMS}/${cancelled.productId}/cancel`, { token: service });
      const kim: Principal = { userId: 'kim', name: 'Kim', role: 'user', expiresAtMs: Date.now() + 3_600_000 };
      await own.service.post(kim, room.productId, { content: 'one' });
      await own.service.post(kim, room.productId, { content: 'two' });
      await expect(own.service.post(kim, cancelled.productId, { content: 'too late' })).rejects.toMatchObject({ code: 'ROOM_NOT_ACTIVE' });

      const res = await fetch(`${own.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^groupbuy_messages_sent_total\{result="ok"\} 2$/m);
      expect(text).toMatch(/^groupbuy_messages_sent_total\{result="error",code="ROOM_NOT_ACTIVE"\} 1$/m);
      expect(text).toMatch(/^groupbuy_send_to_stored_seconds_count 2$/m);
    } finally {
      await own.dispose();
    }
  });

  it('counts refused tokens on REST and on the SSE feed at GET /metrics', async () => {
    const own = await startTestServer();
    try {
      const room = await createRoom(own);
      const expired = await tokenFor('late', { ttlSeconds: -60 });
      await api(own, 'GET', `${ROOMS}/${room.productId}/messages`);
      await api(own, 'GET', `${ROOMS}/${room.productId}`, { token: expired });
      await api(own, 'GET', `${ROOMS}/${room.productId}`, { token: await tokenFor('fine') });
      await api(own, 'GET', `${ROOMS}/${room.productId}/events?token=${expired}`);
      const text = await (await fetch(`${own.url}/metrics`)).text();
      expect(text).toMatch(/^groupbuy_auth_failures_total\{transport="rest"\} 2$/m);
      expect(text).toMatch(/^groupbuy_auth_failures_total\{transport="sse"\} 1$/m);
    } finally {
      await own.dispose();
    }
  });
});

describe('POST /api/dev/token', () => {
  it('mints a working token in dev mode', async () => {
    const res = await api(server, 'POST', '/api/dev/token', { body: { userId: 'dev-user', name: 'Dev' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
    const room = await createRoom(server);
    expect((await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: res.body.token })).status).toBe(201);
  });

  it('mints a trade-service token when asked for role service', async () => {
    const res = await api(server, 'POST', '/api/dev/token', { body: { userId: 'svc', name: 'Service', role: 'service' } });
    expect((await api(server, 'POST', ROOMS, { token: res.body.token, body: roomBody() })).status).toBe(201);
  });

  it.each([
    ['a missing userId', { name: 'x' }],
    ['a userId with a space', { userId: 'a b', name: 'x' }],
    ['a missing name', { userId: 'a' }],
  ])('refuses %s with 400 INVALID_INPUT', async (_what, body) => {
    expectError(await api(server, 'POST', '/api/dev/token', { body }), 400, 'INVALID_INPUT');
  });

  it.each(['null', '"kim"', '[]', 'not json'])('refuses the body %s with 400 INVALID_INPUT', async (rawBody) => {
    expectError(await api(server, 'POST', '/api/dev/token', { rawBody }), 400, 'INVALID_INPUT');
  });

  it('does not exist outside dev mode', async () => {
    const prod = await startTestServer({ dev: false });
    try {
      const res = await api(prod, 'POST', '/api/dev/token', { body: { userId: 'a', name: 'b' } });
      expectError(res, 404, 'NOT_FOUND');
    } finally {
      await prod.dispose();
    }
  });
});
