import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

// Sends pipelined on one connection (RoomService.post onOrdered, ChatStore.appendsInCallOrder): the next
// frame starts once the last send's append is queued, so they share the SQLite group commit, yet each ack
// still follows its own durable write and the room's order is the order of the frames.

let server: TestServer;
beforeAll(async () => {
  // The send limit lifted: this is about order and durability, not the limiter.
  server = await startTestServer({ rateLimit: { capacity: 1000, refillMs: 1 } });
});
afterAll(async () => {
  await server.dispose();
});

const frame = (command: string, headers: Record<string, string>, body = ''): string =>
  `${command}\n${Object.entries(headers)
    .map(([k, v]) => `${k}:${v}`)
    .join('\n')}\n\n${body}\0`;

/** A new room, `userId` joined as a buyer, and a raw STOMP connection of theirs past CONNECTED. */
async function buyerConnected(userId: string) {
  const room = await createRoom(server);
  const token = await tokenFor(userId);
  await api(server, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token });
  const peer = await openRaw(server, '/ws', ['v12.stomp']);
  peer.ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', passcode: token, 'heart-beat': '0,0' }));
  await waitFor(() => peer.frames.find((f) => typeof f === 'string' && f.startsWith('CONNECTED')));
  return { room, peer };
}

describe('sends pipelined on one STOMP connection', () => {
  it('stores them in frame order, each RECEIPT after its row is committed, and a later SUBSCRIBE answered after them all', async () => {
    const { room, peer } = await buyerConnected('piper');

    // Another connection to the file, as another process sees it: a row it reads is committed.
    const other = new Database(server.dbPath, { readonly: true });
    const committed = other.prepare<[string, string], { seq: number }>(
      "SELECT seq FROM messages WHERE room_id = ? AND client_msg_id = ? AND type = 'CHAT'",
    );
    const committedAtReceipt = new Map<string, boolean>();
    peer.ws.on('message', (d) => {
      const m = /receipt-id:(s\d+)/.exec((d as Buffer).toString());
      if (m?.[1]) committedAtReceipt.set(m[1], committed.get(room.productId, m[1]) !== undefined);
    });
    const n = 30;
    // One WebSocket message per frame, all written in one go (nothing waits for an answer).
    for (let i = 0; i < n; i++) {
      const body = JSON.stringify({ content: `message ${i}`, clientMsgId: `s${i}` });
      peer.ws.send(
        frame('SEND', { destination: `/app/chat/${room.productId}`, 'content-type': 'application/json', receipt: `s${i}` }, body),
      );
    }
    peer.ws.send(frame('SUBSCRIBE', { id: 'sub-0', destination: `/topic/chat/${room.productId}`, receipt: 'after' }));

    const receipts = () => peer.frames.filter((f): f is string => typeof f === 'string' && f.startsWith('RECEIPT'));
    await waitFor(() => receipts().length === n + 1, 10_000, 'every receipt');
    const ids = receipts().map((f) => /receipt-id:([^\n]+)/.exec(f)?.[1]);
    expect(ids.at(-1)).toBe('after');
    expect(new Set(ids.slice(0, n))).toEqual(new Set(Array.from({ length: n }, (_, i) => `s${i}`)));
    expect([...committedAtReceipt.values()].every(Boolean)).toBe(true);
    const seqs = Array.from({ length: n }, (_, i) => committed.get(room.productId, `s${i}`)?.seq ?? -1);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(n);
    other.close();
    peer.ws.close();
  });

  it('answers a DISCONNECT after the RECEIPTs of the sends pipelined before it', async () => {
    const { room, peer } = await buyerConnected('leaver');
    const n = 20;
    for (let i = 0; i < n; i++) {
      const body = JSON.stringify({ content: `bye ${i}`, clientMsgId: `d${i}` });
      peer.ws.send(
        frame('SEND', { destination: `/app/chat/${room.productId}`, 'content-type': 'application/json', receipt: `d${i}` }, body),
      );
    }
    peer.ws.send(frame('DISCONNECT', { receipt: 'bye' }));
    const receipts = () => peer.frames.filter((f): f is string => typeof f === 'string' && f.startsWith('RECEIPT'));
    await waitFor(() => receipts().some((f) => f.includes('receipt-id:bye')), 10_000, 'the DISCONNECT receipt');
    const ids = receipts().map((f) => /receipt-id:([^\n]+)/.exec(f)?.[1]);
    expect(ids.at(-1)).toBe('bye');
    expect(new Set(ids.slice(0, -1))).toEqual(new Set(Array.from({ length: n }, (_, i) => `d${i}`)));
  });
});
