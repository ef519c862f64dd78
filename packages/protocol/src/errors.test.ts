import { describe, expect, it } from 'vitest';
import { ChatError, ERROR_CODES, HTTP_STATUS, ROOM_ENDING_CODES, errorCodeForStatus, isErrorCode, toChatError } from './errors.js';
import { parseRoomAppDestination, parseRoomTopic, roomAppDestination, roomTopic } from './destinations.js';

describe('errors', () => {
  it('maps every code to an HTTP status', () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
  });
  it('round-trips through the wire form, keeping retryAfterMs', () => {
    const err = new ChatError('RATE_LIMITED', 'Slow down.', { retryAfterMs: 1200 });
    expect(ChatError.fromInfo(JSON.parse(JSON.stringify(err.toInfo())))).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Slow down.',
      retryAfterMs: 1200,
    });
  });
  it('turns unknown wire errors and thrown values into INTERNAL without leaking their text', () => {
    expect(ChatError.fromInfo({ code: 'WAT', message: 'x' }).code).toBe('INTERNAL');
    const wrapped = toChatError(new Error('db password is hunter2'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).not.toContain('hunter2');
    expect(isErrorCode('ROOM_FULL')).toBe(true);
    expect(isErrorCode('room_full')).toBe(false);
  });
});

describe('destinations', () => {
  it('builds and parses room topics and app destinations', () => {
    expect(roomTopic('p1')).toBe('/topic/chat/p1');
    expect(roomAppDestination('p1')).toBe('/app/chat/p1');
    expect(parseRoomTopic('/topic/chat/p1')).toBe('p1');
    expect(parseRoomAppDestination('/app/chat/p-1_x')).toBe('p-1_x');
  });
  it('refuses other prefixes and invalid product ids', () => {
    expect(parseRoomTopic('/topic/other/p1')).toBeNull();
    expect(parseRoomTopic('/topic/chat/../p1')).toBeNull();
    expect(parseRoomAppDestination('/app/chat/')).toBeNull();
  });
});

describe('errorCodeForStatus', () => {
  it('reads a bare status as the code a client acts on', () => {
    expect(errorCodeForStatus(401)).toBe('UNAUTHENTICATED');
    expect(errorCodeForStatus(403)).toBe('FORBIDDEN');
    expect(errorCodeForStatus(404)).toBe('ROOM_NOT_FOUND');
    expect(errorCodeForStatus(413)).toBe('PAYLOAD_TOO_LARGE');
    expect(errorCodeForStatus(408)).toBe('SLOW_CONSUMER');
    expect(errorCodeForStatus(429)).toBe('RATE_LIMITED');
    expect(errorCodeForStatus(503)).toBe('UNAVAILABLE');
    expect(errorCodeForStatus(418)).toBe('INTERNAL');
    expect(ROOM_ENDING_CODES.has('FORBIDDEN')).toBe(true);
    expect(ROOM_ENDING_CODES.has('RATE_LIMITED')).toBe(false);
  });
});
