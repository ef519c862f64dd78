import { afterEach, describe, expect, it } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ChatMessage } from '@groupbuy/protocol';
import { loadConfig } from '../config.js';
import { api, connectStomp, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

// The PII guard (issue 11) on the shared send path, against a listening server with a real SQLite file and
// real stompjs clients: what the room receives and what is stored is masked; PII_GUARD=off keeps it.

const ROOMS = '/api/chat/rooms';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

async function roomWithBuyers(s: TestServer): Promise<{ productId: string; ana: string; bo: string }> {
  const room = await createRoom(s, { hostId: 'seller-1' });
  const ana = await tokenFor('ana', { name: 'Ana' });
  const bo = await tokenFor('bo', { name: 'Bo' });
  for (const token of [ana, bo]) {
    expect((await api(s, 'POST', `${ROOMS}/${room.productId}/participants`, { token })).status).toBe(201);
  }
  return { productId: room.productId, ana, bo };
}

const TEXT = '제 번호 010-1234-5678, 메일 ana.kim@naver.com, 국민 123456-01-234567 입금할게요. 21,900원 2026-12-01';
const MASKED = '제 번호 010-****-5678, 메일 a******@naver.com, 국민 ******-**-**4567 입금할게요. 21,900원 2026-12-01';

describe('PII guard', () => {
  it('masks what a buyer sends over STOMP, for every subscriber and in the stored history', async () => {
    server = await startTestServer();
    const { productId, ana, bo } = await roomWithBuyers(server);
    const sender = await connectStomp(server, ana);
    const reader = await connectStomp(server, bo);
    await reader.subscribe(productId);
    expect((await sender.send(productId, { content: TEXT, clientMsgId: 'm1' })).ok).toBe(true);
    const got = await waitFor(() => reader.messages.get(productId)?.find((m) => m.type === 'CHAT'));
    expect(got.content).toBe(MASKED);
    const history = (await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token: bo })).body.messages as ChatMessage[];
    expect(history.filter((m) => m.type === 'CHAT').map((m) => m.content)).toEqual([MASKED]);
    await sender.close();
    await reader.close();
  });

  it('tells the sender alone (x-kind notice over STOMP, notice over Socket.IO) what it masked', async () => {
    server = await startTestServer();
    const { productId, ana, bo } = await roomWithBuyers(server);
    const sender = await connectStomp(server, ana);
    const reader = await connectStomp(server, bo);
    await sender.subscribe(productId);
    await reader.subscribe(productId);
    const io = await new Promise<Socket>((resolve, reject) => {
      const s = ioClient(server?.url ?? '', {
        path: '/socket.io',
        auth: { token: ana },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      s.on('connect', () => resolve(s));
      s.on('connect_error', reject);
    });
    const ioNotices: unknown[] = [];
    io.on('notice', (n: unknown) => ioNotices.push(n));
    expect(((await io.emitWithAck('subscribe', { roomId: productId })) as { ok: boolean }).ok).toBe(true);
    expect((await sender.send(productId, { content: TEXT, clientMsgId: 'n1' })).ok).toBe(true);
    const sent = await waitFor(() => sender.messages.get(productId)?.find((m) => m.type === 'CHAT'));
    const expected = { roomId: productId, notice: { kind: 'PII_MASKED', seq: sent.seq, found: ['phone', 'email', 'bankAccount'] } };
    expect(await waitFor(() => sender.control.find((c) => c.kind === 'notice'))).toEqual({ kind: 'notice', body: expected });
    expect(await waitFor(() => ioNotices[0])).toEqual(expected);
    // The reader got the masked message, and no notice; a clean message brings none either.
    await waitFor(() => reader.messages.get(productId)?.find((m) => m.type === 'CHAT'));
    expect((await sender.send(productId, { content: '감사합니다', clientMsgId: 'n2' })).ok).toBe(true);
    await waitFor(() => reader.messages.get(productId)?.find((m) => m.content === '감사합니다'));
    expect(reader.control.filter((c) => c.kind === 'notice')).toEqual([]);
    expect(sender.control.filter((c) => c.kind === 'notice')).toHaveLength(1);
    io.disconnect();
    await sender.close();
    await reader.close();
  });

  it('leaves prices, dates and ordinary text alone', async () => {
    server = await startTestServer();
    const { productId, ana } = await roomWithBuyers(server);
    const sender = await connectStomp(server, ana);
    const plain = '21,900원에 3개요. 마감 2026-12-01 23:59, 상품코드 GB-2026-0001';
    expect((await sender.send(productId, { content: plain, clientMsgId: 'p1' })).ok).toBe(true);
    const history = (await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token: ana })).body.messages as ChatMessage[];
    expect(history.filter((m) => m.type === 'CHAT').map((m) => m.content)).toEqual([plain]);
    await sender.close();
  });

  it('PII_GUARD=off stores the text as sent', async () => {
    server = await startTestServer({ piiGuard: 'off' });
    const { productId, ana } = await roomWithBuyers(server);
    const sender = await connectStomp(server, ana);
    expect((await sender.send(productId, { content: TEXT, clientMsgId: 'o1' })).ok).toBe(true);
    const history = (await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token: ana })).body.messages as ChatMessage[];
    expect(history.filter((m) => m.type === 'CHAT').map((m) => m.content)).toEqual([TEXT]);
    await sender.close();
  });

  it('a plain WebSocket reader of the sender gets { type: NOTICE }', async () => {
    server = await startTestServer();
    const { productId, ana } = await roomWithBuyers(server);
    const raw = await openRaw(server, `/chat/${productId}?token=${encodeURIComponent(ana)}&ready=1`);
    await waitFor(() => raw.frames.find((f: { type?: string }) => f.type === 'READY'));
    const sender = await connectStomp(server, ana);
    expect((await sender.send(productId, { content: '연락처 01098765432', clientMsgId: 'w1' })).ok).toBe(true);
    const notice = await waitFor(() => raw.frames.find((f: { type?: string }) => f.type === 'NOTICE'));
    expect(notice).toMatchObject({ type: 'NOTICE', roomId: productId, notice: { kind: 'PII_MASKED', found: ['phone'] } });
    raw.ws.close();
    await sender.close();
  });

  it('PII_GUARD is mask or off', () => {
    expect(loadConfig([], { JWT_SECRET: 'x'.repeat(40), PII_GUARD: 'off' }).piiGuard).toBe('off');
    expect(loadConfig([], { JWT_SECRET: 'x'.repeat(40) }).piiGuard).toBeUndefined();
    expect(() => loadConfig([], { JWT_SECRET: 'x'.repeat(40), PII_GUARD: 'yes' })).toThrow(/PII_GUARD "yes" must be mask or off/);
  });
});
