import { describe, expect, it } from 'vitest';
import { ROOM_RELATIONS, ROOM_STATUSES, decideAddress, type RoomRelation } from './index.js';

// decideAddress (issue 11): who may give and who may list shipping addresses, for every relation and status.

const codeOf = (d: ReturnType<typeof decideAddress>): string => (d.ok ? 'ok' : d.error.code);

describe('decideAddress', () => {
  it('lets a buyer in the deal save while ACTIVE or CLOSED, never once CANCELLED', () => {
    for (const relation of ['participant', 'host'] as RoomRelation[]) {
      expect(codeOf(decideAddress('save', relation, true, 'ACTIVE'))).toBe('ok');
      expect(codeOf(decideAddress('save', relation, true, 'CLOSED'))).toBe('ok');
      expect(codeOf(decideAddress('save', relation, true, 'CANCELLED'))).toBe('ROOM_NOT_ACTIVE');
    }
  });

  it('refuses saving to anyone not in the deal with FORBIDDEN, and to nobody signed in with UNAUTHENTICATED', () => {
    for (const status of ROOM_STATUSES) {
      for (const relation of ['service', 'host', 'signed-in'] as RoomRelation[]) {
        expect(codeOf(decideAddress('save', relation, false, status))).toBe('FORBIDDEN');
      }
      expect(codeOf(decideAddress('save', 'anonymous', false, status))).toBe('UNAUTHENTICATED');
    }
  });

  it('lets only the seller and the service list, in every status', () => {
    for (const status of ROOM_STATUSES) {
      for (const relation of ROOM_RELATIONS) {
        const expected = relation === 'service' || relation === 'host' ? 'ok' : relation === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        expect(codeOf(decideAddress('list', relation, relation === 'participant', status))).toBe(expected);
      }
    }
  });
});
