// The session's moderation API and state (issue 11) against the real server: the REST calls of the seller,
// the tombstones and room fields they bring to every session, and a buyer's mute and slow-mode cooldown.
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { ChatError, type ErrorCode, type ErrorInfo } from '@groupbuy/protocol';
import { TRANSPORTS, live, testClient, useTestServer, type SuiteServer } from './test-support/clients.js';
import { createRoom, joinRoom, notify, waitFor } from './test-support/server.js';
import { stompTransport } from './transports/stomp.js';
import type { WebSocketLike } from './transports/shared.js';
import type { RoomSession, RoomSessionEvents, TransportFactory } from './types.js';

const stomp = () => stompTransport({ WebSocket: WebSocket as unknown as WebSocketLike });

/** Opens `userId`'s session of `productId` on a client of its own. */
function sessionOf(env: SuiteServer, productId: string, userId: string, transport: TransportFactory = stomp()): RoomSession {
  return testClient({ baseUrl: env.url, getToken: env.tokenOf(userId), transport }).room(productId);
}

/** Everything the session emits as `error` and `moderation`, in order. */
function record(session: RoomSession): { errors: RoomSessionEvents['error'][]; moderation: RoomSessionEvents['moderation'][] } {
  const seen = { errors: [] as RoomSessionEvents['error'][], moderation: [] as RoomSessionEvents['moderation'][] };
  session.on('error', (e) => seen.errors.push(e));
  session.on('moderation', (m) => seen.moderation.push(m));
  return seen;
}

/** The code a promise was rejected with (a ChatError), or fails the test. */
async function refusedWith(promise: Promise<unknown>): Promise<ErrorCode> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ChatError) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** The session's own send with this clientMsgId, once it is settled (sent or failed). */
function settled(session: RoomSession, clientMsgId: string) {
  return waitFor(`send ${clientMsgId} to settle`, () =>
    session.messages.find((m) => m.clientMsgId === clientMsgId && m.status !== 'pending'),
  );
}

/**
 * Sends `text` and waits until it is stored. The session's clock offset is measured from `Date` headers to
 * ±0.5 s, so right at the end of a mute or cooldown the server may still refuse it: then it waits for the
 * state that refusal set to pass, and retries the same send.
 */
async function sendStored(session: RoomSession, text: string) {
  const { clientMsgId } = session.send(text);
  for (let attempt = 0; ; attempt += 1) {
    const result = await settled(session, clientMsgId);
    if (result.status === 'sent' || attempt === 2) return result;
    expect(result.error?.code).toMatch(/^(MUTED|RATE_LIMITED)$/);
    await waitFor('the wait to pass', () => session.mutedUntil === null && session.cooldownUntil === null);
    session.retry(clientMsgId);
  }
}

/** A room with a seller and two buyers, every session subscribed. */
async function deal(env: SuiteServer, transport?: () => TransportFactory) {
  const room = await createRoom(env.url, { hostId: 'seller' });
  await Promise.all([joinRoom(env.url, room.productId, 'ann'), joinRoom(env.url, room.productId, 'bob')]);
  const [seller, ann, bob] = ['seller', 'ann', 'bob'].map((u) => sessionOf(env, room.productId, u, transport?.()));
  if (!seller || !ann || !bob) throw new Error('three sessions');
  await Promise.all([live(seller, 'seller'), live(ann, 'ann'), live(bob, 'bob')]);
  return { productId: room.productId, seller, ann, bob };
}

describe('moderation over the session (stomp)', () => {
  const env = useTestServer();

  it('the seller erases a message: every session shows its tombstone; a buyer may erase only their own', async () => {
    const { seller, ann, bob } = await deal(env);
    const sent = ann.send('sold out? 환불해 주세요');
    const stored = await settled(ann, sent.clientMsgId);
    const seq = stored.seq ?? 0;
    expect(await refusedWith(bob.deleteMessage(seq))).toBe('FORBIDDEN');
    await seller.deleteMessage(seq);
    for (const session of [seller, ann, bob]) {
      await waitFor('the tombstone', () => session.messages.find((m) => m.seq === seq)?.deleted === true);
      expect(session.messages.find((m) => m.seq === seq)).toMatchObject({ content: '', deleted: true });
    }
    const own = await settled(bob, bob.send('oops, wrong room').clientMsgId);
    await bob.deleteMessage(own.seq ?? 0);
    await waitFor("ann to see bob's tombstone", () => ann.messages.find((m) => m.seq === own.seq)?.deleted === true);
  });

  it('a muted buyer: mutedUntil from the notice, sends kept as failed with MUTED, and unmute lets the retry through', async () => {
    const { seller, bob } = await deal(env);
    const seen = record(bob);
    expect(bob.mutedUntil).toBeNull();
    await seller.mute('bob', 60_000);
    await waitFor('bob to know of his mute', () => bob.mutedUntil);
    const until = Date.parse(bob.mutedUntil ?? '');
    expect(until - (Date.now() + bob.serverTimeOffsetMs)).toBeGreaterThan(50_000);
    expect(seen.moderation.at(-1)).toEqual({ mutedUntil: bob.mutedUntil, cooldownUntil: null });

    const refused = bob.send('저요 저요');
    const failed = await settled(bob, refused.clientMsgId);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'MUTED' } });
    const error = seen.errors.find((e) => e.clientMsgId === refused.clientMsgId);
    expect(error?.code).toBe('MUTED');
    expect(error?.retryAfterMs).toBeGreaterThan(50_000);

    await seller.unmute('bob');
    await waitFor('the mute to be lifted', () => bob.mutedUntil === null && seen.moderation.at(-1)?.mutedUntil === null);
    bob.retry(refused.clientMsgId);
    expect(await settled(bob, refused.clientMsgId)).toMatchObject({ status: 'sent', content: '저요 저요' });
  });

  it('a mute clears itself when it passes', async () => {
    const { seller, bob } = await deal(env);
    const seen = record(bob);
    await seller.mute('bob', 1000);
    await waitFor('the mute', () => bob.mutedUntil);
    await waitFor('the mute to pass', () => bob.mutedUntil === null && seen.moderation.at(-1)?.mutedUntil === null);
    expect(seen.moderation.map((m) => m.mutedUntil === null)).toEqual([false, true]);
    expect((await sendStored(bob, 'back')).status).toBe('sent');
  });

  it('slow mode: a cooldown after each buyer send, the next one failed with RATE_LIMITED; the seller is exempt', async () => {
    const { seller, ann } = await deal(env);
    const seen = record(ann);
    await seller.setSlowMode(60_000);
    await waitFor('ann to see slow mode', () => ann.room?.slowModeMs === 60_000);
    expect(seller.room?.slowModeMs).toBe(60_000);
    // Ann's probe was stored before slow mode: a minute has not passed since, so she waits already.
    await waitFor('the cooldown', () => ann.cooldownUntil);
    const first = await settled(ann, ann.send('one').clientMsgId);
    expect(first).toMatchObject({ status: 'failed', error: { code: 'RATE_LIMITED' } });
    const retryAfterMs = seen.errors.at(-1)?.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(Math.abs((ann.cooldownUntil ?? 0) - (Date.now() + retryAfterMs))).toBeLessThan(2_000);
    // The event's value is the getter's, up to a new clock-offset reading from a REST answer since.
    expect(seen.moderation.at(-1)?.mutedUntil).toBeNull();
    expect(Math.abs((seen.moderation.at(-1)?.cooldownUntil ?? 0) - (ann.cooldownUntil ?? 0))).toBeLessThan(1_000);

    expect(seller.cooldownUntil).toBeNull();
    for (const text of ['공지: 곧 마감', '공지: 10분 남음'])
      expect((await settled(seller, seller.send(text).clientMsgId)).status).toBe('sent');

    await seller.setSlowMode(0);
    await waitFor('the cooldown to end with slow mode', () => ann.cooldownUntil === null && seen.moderation.at(-1)?.cooldownUntil === null);
    expect((await sendStored(ann, 'two')).status).toBe('sent');
  });

  it('a short slow mode: the cooldown passes by itself and the next send goes', async () => {
    const { seller, ann } = await deal(env);
    await seller.setSlowMode(1500);
    await waitFor('ann to see slow mode', () => ann.room?.slowModeMs === 1500);
    await waitFor('the cooldown since the probe to pass', () => ann.cooldownUntil === null);
    expect((await sendStored(ann, 'after the cooldown')).status).toBe('sent');
    const until = await waitFor('the next cooldown', () => ann.cooldownUntil);
    expect(until - Date.now()).toBeLessThanOrEqual(1500 + 1000);
    await waitFor('it to pass', () => ann.cooldownUntil === null);
  });

  it('pins and unpins a notice for everyone; only the seller or the service moderates', async () => {
    const { productId, seller, bob } = await deal(env);
    const notice = await notify(env.url, productId, '배송은 금요일에 출발합니다');
    await seller.pin(notice.seq);
    await waitFor('bob to see the pin', () => bob.room?.pinned?.seq === notice.seq);
    expect(seller.room?.pinned).toMatchObject({ seq: notice.seq, content: '배송은 금요일에 출발합니다' });
    expect(await refusedWith(bob.unpin())).toBe('FORBIDDEN');
    expect(await refusedWith(bob.pin(notice.seq))).toBe('FORBIDDEN');
    expect(await refusedWith(bob.setSlowMode(5000))).toBe('FORBIDDEN');
    expect(await refusedWith(bob.mute('ann', 60_000))).toBe('FORBIDDEN');
    expect(await refusedWith(bob.reports())).toBe('FORBIDDEN');
    await seller.unpin();
    await waitFor('bob to see it taken down', () => bob.room?.pinned === null);
  });

  it('a buyer reports a message; the seller lists the reports', async () => {
    const { seller, ann, bob } = await deal(env);
    const spam = await settled(ann, ann.send('싸게 팔아요 링크 클릭').clientMsgId);
    await bob.report(spam.seq ?? 0, '  광고예요  ');
    const reports = await seller.reports();
    expect(reports).toEqual([expect.objectContaining({ seq: spam.seq, reporterId: 'bob', reason: '광고예요' })]);
  });

  it('refuses bad input with INVALID_INPUT before any request, with the error the server gives', async () => {
    const { seller, bob } = await deal(env);
    const seen = record(seller);
    expect(await refusedWith(bob.report(1, '   '))).toBe('INVALID_INPUT');
    expect(await refusedWith(seller.mute('bob', 10))).toBe('INVALID_INPUT');
    expect(await refusedWith(seller.setSlowMode(-1))).toBe('INVALID_INPUT');
    expect(await refusedWith(seller.pin(0))).toBe('INVALID_INPUT');
    expect(await refusedWith(seller.mute('seller', 60_000))).toBe('INVALID_INPUT'); // the server's refusal
    expect(await refusedWith(seller.deleteMessage(999_999))).toBe('NOT_FOUND');
    // The server's refusals are reported as `error` events too; the ones caught here never left.
    expect(seen.errors.map((e) => e.code)).toEqual(['INVALID_INPUT', 'NOT_FOUND']);
  });
});

describe.each(TRANSPORTS)('a refused send teaches the session over $name', (entry) => {
  const env = useTestServer({ inProcess: entry.inProcess ?? false });

  it('a session that missed the mute notice learns it from the room, and its send is refused MUTED', async () => {
    const { productId, seller } = await deal(env, () => entry.factory(env));
    await seller.mute('ann', 120_000);
    // A fresh session of ann's: the notice went out before it existed.
    const ann = sessionOf(env, productId, 'ann', entry.factory(env));
    const errors: ErrorInfo[] = [];
    ann.on('error', (e) => errors.push(e));
    await ann.ready();
    // The room snapshot of a muted caller carries mutedUntil: the composer can say why before any send.
    await waitFor('the mute from the room snapshot', () => ann.mutedUntil !== null);
    expect(Date.parse(ann.mutedUntil ?? '') - Date.now()).toBeGreaterThan(100_000);
    const failed = await settled(ann, ann.send('hello?').clientMsgId);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'MUTED' } });
    expect(errors.at(-1)?.retryAfterMs).toBeGreaterThan(100_000);
    expect(Date.parse(ann.mutedUntil ?? '') - Date.now()).toBeGreaterThan(100_000);
  });
});
