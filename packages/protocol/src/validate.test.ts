import { describe, expect, it } from 'vitest';
import { ChatError } from './errors.js';
import {
  assertProductId,
  normalizeContent,
  parseClientMsgId,
  parseCreateRoomInput,
  parseHistoryQuery,
  parseSendBody,
  parseSeq,
  peekClientMsgId,
} from './validate.js';

const NOW = Date.parse('2026-11-24T00:00:00Z');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ChatError ? err.code : 'not a ChatError';
  }
  return 'no error';
};

describe('normalizeContent', () => {
  it('trims, turns CRLF into LF and keeps Korean, emoji and inner newlines', () => {
    expect(normalizeContent('  안녕하세요 🍊\r\n배송 언제?  ')).toBe('안녕하세요 🍊\n배송 언제?');
  });
  it('removes control characters and bidi overrides', () => {
    expect(normalizeContent('a\u0000b\u0007c\u202Ed\u2066e')).toBe('abcde');
  });
  it('refuses empty and whitespace-only text with INVALID_INPUT', () => {
    expect(code(() => normalizeContent(''))).toBe('INVALID_INPUT');
    expect(code(() => normalizeContent(' \n\t '))).toBe('INVALID_INPUT');
    expect(code(() => normalizeContent('\u0000\u0001'))).toBe('INVALID_INPUT');
  });
  it('accepts 2000 characters and refuses 2001, saying how many', () => {
    expect(normalizeContent('가'.repeat(2000))).toHaveLength(2000);
    expect(() => normalizeContent('가'.repeat(2001))).toThrow(/at most 2000 characters \(this one has 2001\)/);
  });
  it('refuses non-strings', () => {
    expect(code(() => normalizeContent(42))).toBe('INVALID_INPUT');
    expect(code(() => normalizeContent(undefined))).toBe('INVALID_INPUT');
  });
  it('keeps HTML as text: escaping is the renderer’s job', () => {
    expect(normalizeContent('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('parseSendBody', () => {
  it('takes { content, clientMsgId } as JSON text or object', () => {
    expect(parseSendBody('{"content":" hi ","clientMsgId":"c-1"}')).toEqual({ content: 'hi', clientMsgId: 'c-1' });
    expect(parseSendBody({ content: 'hi' })).toEqual({ content: 'hi' });
  });
  it('takes the seed’s { content, timestamp } and ignores the timestamp', () => {
    expect(parseSendBody({ content: 'hi', timestamp: 1700000000000 })).toEqual({ content: 'hi' });
  });
  it('reads the clientMsgId of a body it refuses, so the refusal names the message', () => {
    expect(peekClientMsgId('{"content":"","clientMsgId":"c-9"}')).toBe('c-9');
    expect(peekClientMsgId({ clientMsgId: 'c-10' })).toBe('c-10');
    expect(peekClientMsgId('{oops')).toBeUndefined();
    expect(peekClientMsgId([1])).toBeUndefined();
  });

  it('refuses bad JSON, arrays and bad clientMsgIds', () => {
    expect(code(() => parseSendBody('{oops'))).toBe('INVALID_INPUT');
    expect(code(() => parseSendBody('[1]'))).toBe('INVALID_INPUT');
    expect(code(() => parseSendBody({ content: 'x', clientMsgId: 'has space' }))).toBe('INVALID_INPUT');
    expect(code(() => parseClientMsgId('x'.repeat(65)))).toBe('INVALID_INPUT');
  });
});

describe('product ids, seqs and history queries', () => {
  it('accepts 1–64 of [A-Za-z0-9_-] and refuses anything else', () => {
    expect(assertProductId('tangerine_5kg-A')).toBe('tangerine_5kg-A');
    for (const bad of ['', 'x'.repeat(65), 'a/b', '../x', '상품', 'a b', 1]) expect(code(() => assertProductId(bad))).toBe('INVALID_INPUT');
  });
  it('parses seqs from strings and numbers and refuses negatives and fractions', () => {
    expect(parseSeq('12', 'before')).toBe(12);
    expect(parseSeq(undefined, 'before')).toBeUndefined();
    expect(code(() => parseSeq('-1', 'before'))).toBe('INVALID_INPUT');
    expect(code(() => parseSeq(1.5, 'before'))).toBe('INVALID_INPUT');
  });
  it('defaults to the latest 50 and caps the page at 100', () => {
    expect(parseHistoryQuery({})).toEqual({ limit: 50 });
    expect(parseHistoryQuery({ before: '71', limit: '100' })).toEqual({ before: 71, limit: 100 });
    expect(code(() => parseHistoryQuery({ limit: '101' }))).toBe('INVALID_INPUT');
    expect(code(() => parseHistoryQuery({ limit: '0' }))).toBe('INVALID_INPUT');
  });
});

describe('parseCreateRoomInput', () => {
  const valid = { productId: 'p1', title: ' Pears ', maxParticipants: 10, expiresAt: '2026-11-25T00:00:00Z' };
  it('fills minParticipants with the cap and normalises expiresAt', () => {
    expect(parseCreateRoomInput(valid, NOW)).toEqual({
      productId: 'p1',
      title: 'Pears',
      maxParticipants: 10,
      minParticipants: 10,
      expiresAt: '2026-11-25T00:00:00.000Z',
      hostId: null,
    });
  });
  it('refuses caps outside 2–10000, minimums outside 1–max and deadlines in the past', () => {
    for (const patch of [
      { maxParticipants: 1 },
      { maxParticipants: 10001 },
      { maxParticipants: 2.5 },
      { minParticipants: 0 },
      { minParticipants: 11 },
      { expiresAt: '2026-11-23T00:00:00Z' },
      { expiresAt: 'tomorrow' },
      { title: '' },
      { hostId: '' },
    ]) {
      expect(code(() => parseCreateRoomInput({ ...valid, ...patch }, NOW))).toBe('INVALID_INPUT');
    }
  });
});
