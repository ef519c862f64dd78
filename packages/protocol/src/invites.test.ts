import { describe, expect, it } from 'vitest';
import { ChatError } from './errors.js';
import { INVITE_REF_MAX_CHARS, decideInvite, decideStats, inviteParam, isInviteCode, parseJoinBody } from './invites.js';
import { ROOM_RELATIONS, type RoomState } from './rules.js';

const ACTIVE: RoomState = { status: 'ACTIVE', participantCount: 1, maxParticipants: 10 };
const CLOSED: RoomState = { status: 'CLOSED', participantCount: 10, maxParticipants: 10 };

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (err) {
    return err instanceof ChatError ? err.code : 'thrown';
  }
}

describe('invite codes and the join body', () => {
  it('recognises 22 URL-safe base64 characters only', () => {
    expect(isInviteCode('AbCdEfGhIjKlMnOpQrSt-_')).toBe(true);
    for (const bad of ['', 'short', 'AbCdEfGhIjKlMnOpQrSt-_x', 'AbCdEfGhIjKlMnOpQrSt+/', 42, null]) expect(isInviteCode(bad)).toBe(false);
    expect(inviteParam('AbCdEfGhIjKlMnOpQrSt-_')).toBe('gb_ref=AbCdEfGhIjKlMnOpQrSt-_');
  });

  it('takes no body, an empty object or a text ref; refuses anything else with INVALID_INPUT', () => {
    expect(parseJoinBody(undefined)).toEqual({});
    expect(parseJoinBody(null)).toEqual({});
    expect(parseJoinBody({})).toEqual({});
    expect(parseJoinBody({ ref: '' })).toEqual({});
    expect(parseJoinBody({ ref: null })).toEqual({});
    // Not shaped like a code, but text: the join goes ahead, the server ignores it.
    expect(parseJoinBody({ ref: 'from-a-mangled-link' })).toEqual({ ref: 'from-a-mangled-link' });
    expect(codeOf(() => parseJoinBody({ ref: 42 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseJoinBody({ ref: 'x'.repeat(INVITE_REF_MAX_CHARS + 1) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseJoinBody([]))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseJoinBody('gb_ref=abc'))).toBe('INVALID_INPUT');
  });
});

describe('who may invite and see the stats', () => {
  it('stats: the seller and the service only, in every status', () => {
    const codes = ROOM_RELATIONS.map((r) => {
      const d = decideStats(r);
      return d.ok ? 'ok' : d.error.code;
    });
    expect(codes).toEqual(['ok', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'UNAUTHENTICATED']);
  });

  it('invite: every shopper who may read the room, never the service', () => {
    const at = (room: RoomState) =>
      ROOM_RELATIONS.map((r) => {
        const d = decideInvite(r, room);
        return d.ok ? 'ok' : d.error.code;
      });
    expect(at(ACTIVE)).toEqual(['FORBIDDEN', 'ok', 'ok', 'ok', 'UNAUTHENTICATED']);
    expect(at(CLOSED)).toEqual(['FORBIDDEN', 'ok', 'ok', 'FORBIDDEN', 'UNAUTHENTICATED']);
  });
});
