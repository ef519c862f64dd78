import { describe, expect, it } from 'vitest';
import { readTokenUser } from './token.js';

function jwt(claims: object): string {
  const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

describe('readTokenUser', () => {
  it('reads the user id, a UTF-8 display name and the role', () => {
    expect(readTokenUser(jwt({ sub: 'u1', name: '김민지', role: 'service' }))).toEqual({
      userId: 'u1',
      name: '김민지',
      role: 'service',
    });
  });

  it('falls back to the user id when the token has no name', () => {
    expect(readTokenUser(jwt({ sub: 'u1' }))).toEqual({ userId: 'u1', name: 'u1' });
  });

  it('returns null for something that is not a JWT with a subject', () => {
    expect(readTokenUser('opaque')).toBeNull();
    expect(readTokenUser('a.!!!.c')).toBeNull();
    expect(readTokenUser(jwt({ name: 'x' }))).toBeNull();
  });
});
