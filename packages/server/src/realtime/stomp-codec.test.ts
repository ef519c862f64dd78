import { describe, expect, it } from 'vitest';
import { Parser, type IRawFrameType } from '@stomp/stompjs';
import type { ChatMessage } from '@groupbuy/protocol';
import { messageFrame } from './stomp-codec.js';
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
