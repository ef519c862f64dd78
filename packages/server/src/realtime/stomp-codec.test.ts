import { describe, expect, it } from 'vitest';
import { Parser, type IRawFrameType } from '@stomp/stompjs';
import type { ChatMessage } from '@groupbuy/protocol';
import { messageFrame, newParser, parserChunk, viewersFrame } from './stomp-codec.js';
import type { Delivery } from './hub.js';

const message = {
  roomId: 'p-1',
  seq: 7,
  type: 'CHAT',
  sender: { userId: 'u', name: 'U' },
  content: '공동구매 문의드립니다 — ok? \\ : \n',
  createdAt: new Date(0).toISOString(),
} as unknown as ChatMessage;

function parse(bytes: Buffer): IRawFrameType[] {
  const frames: IRawFrameType[] = [];
  const parser = new Parser(
    (f) => frames.push(f),
    () => undefined,
  );
  parser.parseChunk(bytes.toString('utf8'));
  return frames;
}

describe('messageFrame', () => {
  it("names each subscriber's own subscription when ids alternate, and shares one frame between equal ids", () => {
    const d: Delivery = { message, json: JSON.stringify(message) };
    const other: Delivery = { message: { ...message, seq: 8 }, json: JSON.stringify({ ...message, seq: 8 }) };
    const ids = ['sub-0', 'sub-0', 'sub-1', 'sub-0'];
    const frames = ids.map((id) => messageFrame(id, d));
    expect(frames.map((f) => Object.fromEntries(parse(f)[0]?.headers ?? [])['subscription'])).toEqual(ids);
    expect(frames[1]).toBe(frames[0]);
    const next = messageFrame('sub-0', other);
    expect(Object.fromEntries(parse(next)[0]?.headers ?? [])['message-id']).toBe('/topic/chat/p-1\\c8');
  });
  it('is one STOMP MESSAGE per subscriber, sharing the encoded tail, with a UTF-8 content-length and escaped ids', () => {
    const d: Delivery = { message, json: JSON.stringify(message) };
    const a = messageFrame('sub-0', d);
    const b = messageFrame('odd:id\\x', d);
    const [fa] = parse(a);
    const [fb] = parse(b);
    expect(fa?.command).toBe('MESSAGE');
    const headers = (f: IRawFrameType | undefined) => Object.fromEntries(f?.headers ?? []);
    expect(headers(fa)).toMatchObject({ subscription: 'sub-0', destination: '/topic/chat/p-1', 'x-kind': 'message' });
    // Raw header values as on the wire: STOMP 1.2 escapes ':' as \c and '\' as \\.
    expect(headers(fb)['subscription']).toBe('odd\\cid\\\\x');
    expect(headers(fa)['content-length']).toBe(String(Buffer.byteLength(d.json)));
    expect(JSON.parse(new TextDecoder().decode(fa?.binaryBody))).toEqual(message);
    expect(a.subarray(a.indexOf('destination:'))).toEqual(b.subarray(b.indexOf('destination:')));
  });
});

describe('viewersFrame and the shared-coder parser', () => {
  it('frames a viewers list once per list for any subscriber, and two parsers read frames interleaved', () => {
    const viewers = [
      { userId: 'u1', name: '김 민수' },
      { userId: 'u2', name: 'B:\\' },
    ];
    const frames: IRawFrameType[] = [];
    const a = newParser(
      (f) => frames.push(f),
      () => undefined,
    );
    const b = newParser(
      (f) => frames.push(f),
      () => undefined,
    );
    const one = viewersFrame('sub-0', 3, { roomId: 'p-1', count: viewers.length, viewers });
    const two = viewersFrame('sub:1', 9, { roomId: 'p-1', count: viewers.length, viewers });
    // Split mid-frame across the two parsers, as chunks of separate connections arrive.
    const bytes = Buffer.from(one);
    a.parseChunk(parserChunk(bytes.subarray(0, 20)));
    b.parseChunk(parserChunk(Buffer.from(two)));
    a.parseChunk(parserChunk(bytes.subarray(20)));
    const [second, first] = frames;
    const headers = (f: IRawFrameType | undefined) => Object.fromEntries(f?.headers ?? []);
    expect(headers(first)).toMatchObject({
      subscription: 'sub-0',
      'message-id': 'm3',
      'x-kind': 'viewers',
      destination: '/topic/chat/p-1',
    });
    expect(headers(second)).toMatchObject({ subscription: 'sub\\c1', 'message-id': 'm9' });
    for (const f of [first, second]) {
      expect(JSON.parse(new TextDecoder().decode(f?.binaryBody))).toEqual({ roomId: 'p-1', count: viewers.length, viewers });
      expect(headers(f)['content-length']).toBe(String(f?.binaryBody?.length));
    }
  });
});
