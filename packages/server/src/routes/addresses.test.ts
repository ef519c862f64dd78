import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressList, Room, ShippingAddress } from '@groupbuy/protocol';
import { api, createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';

// The shipping-address routes (issue 11) against a real listening server with a real SQLite file.

const MINSU = {
  recipient: '김민수',
  phone: '01023456789',
  postalCode: '06236',
  line1: '서울특별시 강남구 테헤란로 152',
  line2: '12층 1203호',
  memo: '문 앞에 놓아 주세요',
};
const JIYOON = {
  recipient: '이지윤',
  phone: '+82 2-123-4567',
  postalCode: '48058',
  line1: '=HYPERLINK("http://evil")',
  memo: 'say "hi", ok',
};

let server: TestServer;
let minsu: string;
let jiyoon: string;
let watcher: string;
let seller: string;
let service: string;

beforeAll(async () => {
  server = await startTestServer();
  [minsu, jiyoon, watcher, seller, service] = await Promise.all([
    tokenFor('minsu', { name: '민수' }),
    tokenFor('jiyoon', { name: '지윤' }),
    tokenFor('watcher'),
    tokenFor('seller-7'),
    tokenFor('trade-service', { role: 'service' }),
  ]);
});
afterAll(async () => {
  await server.dispose();
});

const own = (room: Room) => `/api/chat/rooms/${room.productId}/participants/me/address`;
const list = (room: Room) => `/api/chat/rooms/${room.productId}/addresses`;

async function roomWithBuyers(...tokens: string[]): Promise<Room> {
  const room = await createRoom(server, { hostId: 'seller-7', maxParticipants: 5 });
  for (const token of tokens)
    expect((await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token })).status).toBe(201);
  return room;
}

describe('PUT / GET / DELETE …/participants/me/address', () => {
  it('saves a buyer’s address normalised, reads it back, and deletes it', async () => {
    const room = await roomWithBuyers(minsu);
    const put = await api(server, 'PUT', own(room), { token: minsu, body: MINSU });
    expect(put.status).toBe(200);
    expect(put.headers.get('cache-control')).toBe('no-store');
    const saved = put.body as ShippingAddress;
    expect(saved).toMatchObject({ ...MINSU, phone: '010-2345-6789' });
    expect(Date.parse(saved.updatedAt)).toBeGreaterThan(0);

    const got = await api(server, 'GET', own(room), { token: minsu });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(saved);
    expect(got.headers.get('cache-control')).toBe('no-store');

    expect((await api(server, 'DELETE', own(room), { token: minsu })).status).toBe(204);
    const gone = await api(server, 'GET', own(room), { token: minsu });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NOT_FOUND');
    expect(gone.headers.get('cache-control')).toBe('no-store');
    // Deleting again is not an error.
    expect((await api(server, 'DELETE', own(room), { token: minsu })).status).toBe(204);
  });

  it('refuses anyone who has not joined with 403 FORBIDDEN: a watcher, the seller, the service', async () => {
    const room = await roomWithBuyers(minsu);
    for (const token of [watcher, seller, service]) {
      const res = await api(server, 'PUT', own(room), { token, body: MINSU });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 404 ROOM_NOT_FOUND for a room that does not exist, and 401 without a token', async () => {
    const missing = await api(server, 'PUT', '/api/chat/rooms/no-such-room/participants/me/address', { token: minsu, body: MINSU });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROOM_NOT_FOUND');
    expect((await api(server, 'GET', '/api/chat/rooms/no-such-room/participants/me/address', { token: minsu })).status).toBe(404);
    const room = await roomWithBuyers(minsu);
    const anonymous = await api(server, 'PUT', own(room), { body: MINSU });
    expect(anonymous.status).toBe(401);
    expect((await api(server, 'GET', list(room))).status).toBe(401);
  });

  it('names the offending field in a 400 INVALID_INPUT and keeps the saved address', async () => {
    const room = await roomWithBuyers(minsu);
    await api(server, 'PUT', own(room), { token: minsu, body: MINSU });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...MINSU, phone: '12345' }, 'phone'],
      [{ ...MINSU, postalCode: '1234' }, 'postalCode'],
      [{ ...MINSU, recipient: '' }, 'recipient'],
      [{ ...MINSU, line1: 'x'.repeat(201) }, 'line1'],
      [{ ...MINSU, memo: 42 }, 'memo'],
    ];
    for (const [body, field] of cases) {
      const res = await api(server, 'PUT', own(room), { token: minsu, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
      expect(res.body.error.message.startsWith(`${field}:`)).toBe(true);
    }
    const notJson = await api(server, 'PUT', own(room), { token: minsu, rawBody: '{recipient' });
    expect(notJson.status).toBe(400);
    expect((await api(server, 'GET', own(room), { token: minsu })).body.recipient).toBe(MINSU.recipient);
  });

  it('accepts an address in a CLOSED room and refuses one in a CANCELLED room with 409 ROOM_NOT_ACTIVE', async () => {
    const closed = await roomWithBuyers(minsu);
    expect((await api(server, 'POST', `/api/chat/rooms/${closed.productId}/close`, { token: seller })).status).toBe(200);
    expect((await api(server, 'PUT', own(closed), { token: minsu, body: MINSU })).status).toBe(200);

    const cancelled = await roomWithBuyers(minsu);
    expect((await api(server, 'POST', `/api/chat/rooms/${cancelled.productId}/cancel`, { token: seller })).status).toBe(200);
    const res = await api(server, 'PUT', own(cancelled), { token: minsu, body: MINSU });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROOM_NOT_ACTIVE');
  });

  it('deletes the address when the buyer leaves the deal', async () => {
    const room = await roomWithBuyers(minsu);
    await api(server, 'PUT', own(room), { token: minsu, body: MINSU });
    expect((await api(server, 'DELETE', `/api/chat/rooms/${room.productId}/participants/me`, { token: minsu })).status).toBe(200);
    expect((await api(server, 'GET', own(room), { token: minsu })).status).toBe(404);
    const listed = await api(server, 'GET', list(room), { token: seller });
    expect((listed.body as AddressList).addresses).toEqual([]);
  });
});

describe('GET …/addresses (host and service)', () => {
  it('lists the buyers’ addresses in join order for the seller and the service', async () => {
    const room = await roomWithBuyers(jiyoon, minsu);
    // Saved in the other order: the list follows the joins, not the saves.
    await api(server, 'PUT', own(room), { token: minsu, body: MINSU });
    await api(server, 'PUT', own(room), { token: jiyoon, body: JIYOON });
    for (const token of [seller, service]) {
      const res = await api(server, 'GET', list(room), { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { addresses } = res.body as AddressList;
      expect(addresses.map((a) => [a.userId, a.name])).toEqual([
        ['jiyoon', '지윤'],
        ['minsu', '민수'],
      ]);
      expect(addresses[0]).toMatchObject({ phone: '02-123-4567', postalCode: '48058' });
      expect(addresses[1]).toMatchObject({ recipient: '김민수', line2: '12층 1203호' });
    }
  });

  it('refuses the buyers and watchers with 403 FORBIDDEN', async () => {
    const room = await roomWithBuyers(minsu);
    await api(server, 'PUT', own(room), { token: minsu, body: MINSU });
    for (const token of [minsu, watcher]) {
      const res = await api(server, 'GET', list(room), { token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(JSON.stringify(res.body)).not.toContain(MINSU.recipient);
    }
    expect((await api(server, 'GET', `${list(room)}?format=csv`, { token: minsu })).status).toBe(403);
  });

  it('?format=csv answers a UTF-8 CSV with a BOM, quoted cells and formulas neutralised', async () => {
    const room = await roomWithBuyers(minsu, jiyoon);
    await api(server, 'PUT', own(room), { token: minsu, body: MINSU });
    await api(server, 'PUT', own(room), { token: jiyoon, body: JIYOON });
    const res = await fetch(`${server.url}${list(room)}?format=csv`, { headers: { Authorization: `Bearer ${seller}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="addresses-${room.productId}.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('"userId","name","recipient","phone","postalCode","line1","line2","memo","updatedAt"');
    expect(lines[1]).toMatch(
      /^"minsu","민수","김민수","010-2345-6789","06236","서울특별시 강남구 테헤란로 152","12층 1203호","문 앞에 놓아 주세요","20\d\d-/,
    );
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[2]).toContain('"say ""hi"", ok"');
    expect(lines[2]).toContain('"02-123-4567","48058"');
    expect(lines[3]).toBe('');
  });
});
