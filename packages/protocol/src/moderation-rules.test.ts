import { describe, expect, it } from 'vitest';
import { ChatError } from './errors.js';
import { LIMITS } from './limits.js';
import { parseMuteInput, parsePinBody, parseReportBody, parseSeqParam, parseSlowModeBody } from './moderation-input.js';
import { ROOM_RELATIONS, autoSlowModeMs, decideDelete, decideModeration, sendWait } from './rules.js';

const NOW = Date.parse('2030-03-01T09:00:00.000Z');
const mine = { type: 'CHAT', sender: { userId: 'u1' }, createdAt: new Date(NOW - 1000).toISOString() };

describe('moderation rules', () => {
  it('only the seller and the service moderate', () => {
    const codes = ROOM_RELATIONS.map((r) => {
      const d = decideModeration(r);
      return d.ok ? 'ok' : d.error.code;
    });
    expect(codes).toEqual(['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'UNAUTHENTICATED']);
  });

  it('a sender deletes their own CHAT within the window; a moderator deletes anything', () => {
    expect(decideDelete('participant', 'u1', mine, NOW).ok).toBe(true);
    expect(decideDelete('signed-in', 'u1', mine, NOW - 1000 + LIMITS.ownDeleteWindowMs).ok).toBe(true);
    const late = decideDelete('participant', 'u1', mine, NOW + LIMITS.ownDeleteWindowMs + 1000);
    expect(late.ok ? null : late.error.code).toBe('FORBIDDEN');
    const other = decideDelete('participant', 'u2', mine, NOW);
    expect(other.ok ? null : other.error.code).toBe('FORBIDDEN');
    expect(decideDelete('host', 'seller', mine, NOW + 10 * LIMITS.ownDeleteWindowMs).ok).toBe(true);
    expect(decideDelete('service', 'svc', { ...mine, type: 'NOTIFICATION' }, NOW).ok).toBe(true);
    const anonymous = decideDelete('anonymous', 'u1', mine, NOW);
    expect(anonymous.ok ? null : anonymous.error.code).toBe('UNAUTHENTICATED');
  });

  it('a mute refuses with MUTED and the time left; slow mode with RATE_LIMITED and the cooldown left; the seller is exempt', () => {
    expect(sendWait('participant', { muteUntilMs: NOW + 5000, slowModeMs: 0, lastChatAtMs: null }, NOW)?.error).toMatchObject({
      code: 'MUTED',
      retryAfterMs: 5000,
    });
    expect(sendWait('participant', { muteUntilMs: NOW, slowModeMs: 0, lastChatAtMs: null }, NOW)).toBeNull();
    expect(sendWait('signed-in', { muteUntilMs: null, slowModeMs: 10_000, lastChatAtMs: NOW - 4000 }, NOW)?.error).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 6000,
    });
    expect(sendWait('signed-in', { muteUntilMs: null, slowModeMs: 10_000, lastChatAtMs: NOW - 10_000 }, NOW)).toBeNull();
    expect(sendWait('host', { muteUntilMs: NOW + 5000, slowModeMs: 10_000, lastChatAtMs: NOW }, NOW)).toBeNull();
    expect(sendWait('service', { muteUntilMs: null, slowModeMs: 10_000, lastChatAtMs: NOW }, NOW)).toBeNull();
  });

  it('auto slow mode turns on only in the final window of a busy ACTIVE room', () => {
    const auto = { windowMs: 600_000, perMinute: 30, slowModeMs: 10_000 };
    const room = { status: 'ACTIVE' as const, expiresAt: new Date(NOW + 300_000).toISOString(), slowModeMs: 0 };
    expect(autoSlowModeMs(auto, room, 31, NOW)).toBe(10_000);
    expect(autoSlowModeMs(auto, room, 30, NOW)).toBeNull();
    expect(autoSlowModeMs(auto, { ...room, expiresAt: new Date(NOW + 900_000).toISOString() }, 100, NOW)).toBeNull();
    expect(autoSlowModeMs(auto, { ...room, slowModeMs: 10_000 }, 100, NOW)).toBeNull();
    expect(autoSlowModeMs(auto, { ...room, status: 'CLOSED' }, 100, NOW)).toBeNull();
  });
});

describe('moderation bodies', () => {
  const invalid = (f: () => unknown) => {
    expect(f).toThrow(ChatError);
  };
  it('parse what is valid and refuse the rest with INVALID_INPUT', () => {
    expect(parseSeqParam('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'x', '']) invalid(() => parseSeqParam(bad));
    expect(parseMuteInput({ userId: 'u1', durationMs: 60_000 })).toEqual({ userId: 'u1', durationMs: 60_000 });
    invalid(() => parseMuteInput({ userId: 'u1', durationMs: LIMITS.muteMaxMs + 1 }));
    invalid(() => parseMuteInput({ userId: '', durationMs: 60_000 }));
    invalid(() => parseMuteInput(null));
    expect(parseSlowModeBody({ slowModeMs: 0 })).toEqual({ slowModeMs: 0 });
    invalid(() => parseSlowModeBody({ slowModeMs: LIMITS.slowModeMaxMs + 1 }));
    invalid(() => parseSlowModeBody({ slowModeMs: '10' }));
    expect(parsePinBody({ seq: 3 })).toEqual({ seq: 3 });
    invalid(() => parsePinBody({ seq: 0 }));
    expect(parseReportBody({ reason: '  spam ' })).toEqual({ reason: 'spam' });
    invalid(() => parseReportBody({ reason: ' ' }));
    invalid(() => parseReportBody({ reason: 'x'.repeat(LIMITS.reportReasonMaxChars + 1) }));
  });
});
