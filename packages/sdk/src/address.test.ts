// The session's shipping-address API (issue 11) against the real server and its SQLite file: a buyer's own
// address, the seller's list and CSV, and the refusals, with the protocol's validation before any request.
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { ChatError, parseShippingAddressInput, type ErrorInfo, type ShippingAddressInput } from '@groupbuy/protocol';
import { testClient, useTestServer } from './test-support/clients.js';
import { createRoom, joinRoom } from './test-support/server.js';
import { stompTransport } from './transports/stomp.js';
import type { WebSocketLike } from './transports/shared.js';

const HOME: ShippingAddressInput = {
  recipient: '김민수',
  phone: '01012345678',
  postalCode: '06236',
  line1: '서울특별시 강남구 테헤란로 152',
  line2: '12층 1203호',
  memo: '문 앞에 놓아 주세요',
};

/** The error a promise was rejected with (a ChatError), or fails the test. */
async function refusal(promise: Promise<unknown>): Promise<ChatError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ChatError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('shipping addresses over the session', () => {
  const env = useTestServer();

  async function deal() {
    const room = await createRoom(env.url, { hostId: 'seller' });
    await joinRoom(env.url, room.productId, 'minsu');
    const open = (userId: string) =>
      testClient({
        baseUrl: env.url,
        getToken: env.tokenOf(userId),
        transport: stompTransport({ WebSocket: WebSocket as unknown as WebSocketLike }),
      }).room(room.productId);
    return { seller: open('seller'), minsu: open('minsu'), watcher: open('watcher') };
  }

  it('a buyer saves, reads back and removes their own address; the seller lists it and exports it as CSV', async () => {
    const { seller, minsu } = await deal();
    expect(await minsu.address.get()).toBeNull();
    const saved = await minsu.address.save(HOME);
    expect(saved).toMatchObject({ ...HOME, phone: '010-1234-5678' });
    expect(Number.isFinite(Date.parse(saved.updatedAt))).toBe(true);
    expect(await minsu.address.get()).toEqual(saved);

    const { addresses } = await seller.addresses();
    expect(addresses).toEqual([expect.objectContaining({ ...saved, userId: 'minsu' })]);
    const csv = await seller.addressesCsv();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('서울특별시 강남구 테헤란로 152');
    expect(lines[1]).toContain('010-1234-5678');

    await minsu.address.remove();
    expect(await minsu.address.get()).toBeNull();
    expect((await seller.addresses()).addresses).toEqual([]);
  });

  it('checks the form with the protocol before sending: the same INVALID_INPUT, the field named first', async () => {
    const { minsu } = await deal();
    const errors: ErrorInfo[] = [];
    minsu.on('error', (e) => errors.push(e));
    for (const bad of [
      { ...HOME, postalCode: '1234' },
      { ...HOME, phone: '12-34' },
      { ...HOME, recipient: '  ' },
    ]) {
      const error = await refusal(minsu.address.save(bad));
      let expected: unknown;
      try {
        parseShippingAddressInput(bad);
      } catch (err) {
        expected = err;
      }
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: (expected as ChatError).message });
    }
    expect((await refusal(minsu.address.save({ ...HOME, postalCode: '1234' }))).message).toMatch(/^postalCode/);
    // Nothing reached the server: a refused write would have been reported as an `error` event.
    expect(errors).toEqual([]);
    expect(await minsu.address.get()).toBeNull();
  });

  it('only a buyer gives an address, and only the seller (or the service) reads them', async () => {
    const { minsu, watcher } = await deal();
    expect((await refusal(watcher.address.save(HOME))).code).toBe('FORBIDDEN');
    expect((await refusal(minsu.addresses())).code).toBe('FORBIDDEN');
    expect((await refusal(minsu.addressesCsv())).code).toBe('FORBIDDEN');
    expect((await refusal(watcher.addresses())).code).toBe('FORBIDDEN');
  });
});
