import { describe, expect, it } from 'vitest';
import { ChatError, type ErrorCode, type ErrorInfo } from './errors.js';
import {
  ROOM_ACTIONS,
  ROOM_RELATIONS,
  ROOM_STATUSES,
  appendOutcome,
  decide,
  deadlineOutcome,
  joinOutcome,
  leaveOutcome,
  orThrow,
  readOnlyReason,
  roomRelation,
  settleOutcome,
  statusesAllowing,
  type Refused,
  type RoomAction,
  type RoomRelation,
  type RoomState,
} from './rules.js';

// The rooms the table is asked about: every status, and CLOSED both ways it can happen (filled, or by
// the deadline / the host with seats left), since a join answers differently for the two. ACTIVE and
// full cannot exist: the join that fills a room closes it.
const ROOMS = {
  ACTIVE: { status: 'ACTIVE', participantCount: 3, maxParticipants: 10 },
  'CLOSED (filled)': { status: 'CLOSED', participantCount: 10, maxParticipants: 10 },
  'CLOSED (seats left)': { status: 'CLOSED', participantCount: 6, maxParticipants: 10 },
  CANCELLED: { status: 'CANCELLED', participantCount: 2, maxParticipants: 10 },
} as const satisfies Record<string, RoomState>;

type RoomName = keyof typeof ROOMS;

/** The error of a refused outcome, or undefined when it was allowed. */
function errorOf(outcome: { readonly ok: true } | Refused): ErrorInfo | undefined {
  return outcome.ok ? undefined : outcome.error;
}
type Expected = 'ok' | ErrorCode;
/** Per relation, the answer in ACTIVE, CLOSED (filled), CLOSED (seats left), CANCELLED. */
type Row = readonly [Expected, Expected, Expected, Expected];

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const NA = 'ROOM_NOT_ACTIVE';
const FULL = 'ROOM_FULL';

// The rules of docs/protocol.md ("Rooms" and "Room rules"), as one table.
const TABLE: Readonly<Record<RoomAction, Readonly<Record<RoomRelation, Row>>>> = {
  read: {
    service: ['ok', 'ok', 'ok', 'ok'],
    host: ['ok', 'ok', 'ok', 'ok'],
    participant: ['ok', 'ok', 'ok', 'ok'],
    'signed-in': ['ok', F, F, F],
    anonymous: [U, U, U, U],
  },
  post: {
    service: ['ok', 'ok', 'ok', NA],
    host: ['ok', 'ok', 'ok', NA],
    participant: ['ok', 'ok', 'ok', NA],
    'signed-in': ['ok', F, F, NA],
    anonymous: [U, U, U, U],
  },
  join: {
    service: [F, F, F, F],
    host: ['ok', FULL, NA, NA],
    participant: ['ok', 'ok', 'ok', 'ok'], // already in: a no-op in every status
    'signed-in': ['ok', FULL, NA, NA],
    anonymous: [U, U, U, U],
  },
  leave: {
    service: ['ok', NA, NA, NA],
    host: ['ok', NA, NA, NA],
    participant: ['ok', NA, NA, NA],
    'signed-in': ['ok', NA, NA, NA], // a no-op: not in the deal
    anonymous: [U, U, U, U],
  },
  close: {
    service: ['ok', NA, NA, NA],
    host: ['ok', NA, NA, NA],
    participant: [F, F, F, F],
    'signed-in': [F, F, F, F],
    anonymous: [U, U, U, U],
  },
  cancel: {
    service: ['ok', NA, NA, NA],
    host: ['ok', NA, NA, NA],
    participant: [F, F, F, F],
    'signed-in': [F, F, F, F],
    anonymous: [U, U, U, U],
  },
  notify: {
    service: ['ok', 'ok', 'ok', 'ok'],
    host: ['ok', 'ok', 'ok', 'ok'],
    participant: [F, F, F, F],
    'signed-in': [F, F, F, F],
    anonymous: [U, U, U, U],
  },
};

const ROOM_NAMES = Object.keys(ROOMS) as RoomName[];
const CASES = ROOM_ACTIONS.flatMap((action) =>
  ROOM_RELATIONS.flatMap((relation) =>
    ROOM_NAMES.map((roomName, i) => ({ action, relation, roomName, expected: TABLE[action][relation][i] as Expected })),
  ),
);

describe('the room rules table', () => {
  it('has a row for every action × relation × room state (7 × 5 × 4 = 140)', () => {
    expect(CASES).toHaveLength(ROOM_ACTIONS.length * ROOM_RELATIONS.length * ROOM_NAMES.length);
    expect(CASES).toHaveLength(140);
    expect(new Set(ROOM_NAMES.map((n) => ROOMS[n].status))).toEqual(new Set(ROOM_STATUSES));
  });

  it.each(CASES)('$action by $relation in $roomName: $expected', ({ action, relation, roomName, expected }) => {
    const decision = decide(relation, action, ROOMS[roomName]);
    if (expected === 'ok') {
      expect(decision).toEqual({ ok: true });
    } else {
      expect(decision.ok).toBe(false);
      if (!decision.ok) {
        expect(decision.error.code).toBe(expected);
        expect(decision.error.message.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('roomRelation', () => {
  const room = { hostId: 'seller' };
  it('ranks the service over the seller over a buyer over a watcher', () => {
    expect(roomRelation(null, room, false)).toBe('anonymous');
    expect(roomRelation({ userId: 'svc', role: 'service' }, room, true)).toBe('service');
    expect(roomRelation({ userId: 'seller', role: 'user' }, room, true)).toBe('host');
    expect(roomRelation({ userId: 'kim', role: 'user' }, room, true)).toBe('participant');
    expect(roomRelation({ userId: 'kim', role: 'user' }, room, false)).toBe('signed-in');
  });
  it('has no host when the room names none', () => {
    expect(roomRelation({ userId: 'seller', role: 'user' }, { hostId: null }, false)).toBe('signed-in');
  });
});

describe('joinOutcome', () => {
  it('adds a buyer to an ACTIVE room with seats left', () => {
    expect(joinOutcome(ROOMS.ACTIVE, false)).toEqual({ ok: true, joined: true, participantCount: 4, fills: false });
  });
  it('closes the deal with the join that takes the last seat', () => {
    expect(joinOutcome({ status: 'ACTIVE', participantCount: 9, maxParticipants: 10 }, false)).toEqual({
      ok: true,
      joined: true,
      participantCount: 10,
      fills: true,
    });
  });
  it('answers a retried join that filled and closed the room as a no-op, not an error', () => {
    expect(joinOutcome(ROOMS['CLOSED (filled)'], true)).toEqual({ ok: true, joined: false });
  });
  it('refuses a newcomer to a filled, CLOSED room with ROOM_FULL (the cap is checked before the status)', () => {
    const outcome = joinOutcome(ROOMS['CLOSED (filled)'], false);
    expect(errorOf(outcome)).toEqual({ code: 'ROOM_FULL', message: 'This deal is full (10 buyers).' });
  });
  it('refuses a newcomer to a room that closed or was cancelled with seats left with ROOM_NOT_ACTIVE', () => {
    for (const room of [ROOMS['CLOSED (seats left)'], ROOMS.CANCELLED]) {
      const outcome = joinOutcome(room, false);
      expect(errorOf(outcome)?.code).toBe('ROOM_NOT_ACTIVE');
    }
  });
});

describe('leaveOutcome', () => {
  it('removes a buyer while ACTIVE and is a no-op for someone not in the deal', () => {
    expect(leaveOutcome('ACTIVE', true)).toEqual({ ok: true, left: true });
    expect(leaveOutcome('ACTIVE', false)).toEqual({ ok: true, left: false });
  });
  it('refuses once the deal left ACTIVE, whether or not the user is a buyer (the status comes first)', () => {
    for (const status of ['CLOSED', 'CANCELLED'] as const) {
      for (const isParticipant of [true, false]) {
        const outcome = leaveOutcome(status, isParticipant);
        expect(errorOf(outcome)?.code).toBe('ROOM_NOT_ACTIVE');
      }
    }
  });
});

describe('deadlineOutcome and settleOutcome', () => {
  it('closes a deal that has at least minParticipants buyers at its deadline, else cancels it', () => {
    expect(deadlineOutcome({ participantCount: 3, minParticipants: 3 })).toBe('CLOSED');
    expect(deadlineOutcome({ participantCount: 4, minParticipants: 3 })).toBe('CLOSED');
    expect(deadlineOutcome({ participantCount: 2, minParticipants: 3 })).toBe('CANCELLED');
  });
  it('settles an ACTIVE room to the requested status or the deadline outcome', () => {
    const room = { status: 'ACTIVE', participantCount: 1, minParticipants: 3 } as const;
    expect(settleOutcome(room, 'DEADLINE')).toBe('CANCELLED');
    expect(settleOutcome(room, 'CLOSED')).toBe('CLOSED');
    expect(settleOutcome({ ...room, participantCount: 5 }, 'CANCELLED')).toBe('CANCELLED');
  });
  it('settles nothing once the room left ACTIVE (someone settled it first)', () => {
    for (const status of ['CLOSED', 'CANCELLED'] as const) {
      expect(settleOutcome({ status, participantCount: 5, minParticipants: 3 }, 'DEADLINE')).toBeNull();
    }
  });
});

describe('appendOutcome', () => {
  it('answers a retried message with its stored copy before looking at the status', () => {
    expect(appendOutcome('CANCELLED', ['ACTIVE'], true)).toEqual({ ok: true, duplicate: true });
  });
  it('stores a new message only in an allowed status', () => {
    expect(appendOutcome('CLOSED', ['ACTIVE', 'CLOSED'], false)).toEqual({ ok: true, duplicate: false });
    const outcome = appendOutcome('CLOSED', ['ACTIVE'], false);
    expect(errorOf(outcome)?.code).toBe('ROOM_NOT_ACTIVE');
  });
});

describe('statusesAllowing', () => {
  it('lets members chat while ACTIVE or CLOSED, watchers while ACTIVE, the host post notices in every status', () => {
    expect(statusesAllowing('participant', 'post')).toEqual(['ACTIVE', 'CLOSED']);
    expect(statusesAllowing('host', 'post')).toEqual(['ACTIVE', 'CLOSED']);
    expect(statusesAllowing('signed-in', 'post')).toEqual(['ACTIVE']);
    expect(statusesAllowing('service', 'notify')).toEqual(['ACTIVE', 'CLOSED', 'CANCELLED']);
    expect(statusesAllowing('participant', 'notify')).toEqual([]);
  });
});

describe('readOnlyReason', () => {
  it('is null for whoever may post', () => {
    expect(readOnlyReason('signed-in', 'ACTIVE')).toBeNull();
    expect(readOnlyReason('participant', 'CLOSED')).toBeNull();
  });
  it('names the code a send would get and the widget text to show', () => {
    expect(readOnlyReason('anonymous', 'ACTIVE')).toEqual({ code: 'UNAUTHENTICATED', key: 'signedOut' });
    expect(readOnlyReason('host', 'CANCELLED')).toEqual({ code: 'ROOM_NOT_ACTIVE', key: 'readOnlyCancelled' });
    expect(readOnlyReason('signed-in', 'CANCELLED')).toEqual({ code: 'ROOM_NOT_ACTIVE', key: 'readOnlyCancelled' });
    expect(readOnlyReason('signed-in', 'CLOSED')).toEqual({ code: 'FORBIDDEN', key: 'readOnlyClosed' });
  });
  it('agrees with the post rule in every status for every relation', () => {
    for (const relation of ROOM_RELATIONS) {
      for (const status of ROOM_STATUSES) {
        const decision = decide(relation, 'post', { status, participantCount: 0, maxParticipants: 1 });
        expect(readOnlyReason(relation, status)?.code).toBe(decision.ok ? undefined : decision.error.code);
      }
    }
  });
});

describe('orThrow', () => {
  it('returns an allowed outcome and throws a refusal as a ChatError with its code and message', () => {
    expect(orThrow(joinOutcome(ROOMS.ACTIVE, true))).toEqual({ ok: true, joined: false });
    expect(() => orThrow(joinOutcome(ROOMS['CLOSED (filled)'], false))).toThrow(ChatError);
    let thrown: unknown;
    try {
      orThrow(decide('signed-in', 'notify', ROOMS.ACTIVE));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'FORBIDDEN', message: 'Only the seller or the trade service can post notices.' });
  });
});
