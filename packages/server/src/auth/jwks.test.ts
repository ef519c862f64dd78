import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { ChatError, type Room } from '@groupbuy/protocol';
import { createJsonLogger } from '../logger.js';
import { api, connectStomp, startTestServer, waitFor, type TestServer } from '../test-support/harness.js';
import { TokenVerifier, type JwtConfig } from './jwt.js';

/** A key pair of the identity provider, with the public half as it appears in the JWKS. */
interface ProviderKey {
  alg: 'RS256' | 'ES256' | 'PS256';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function providerKey(alg: ProviderKey['alg'], kid: string): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The identity provider's JWKS endpoint on loopback: serves `keys`, counts fetches, can fail with 503. */
interface Jwks {
  url: string;
  keys: ProviderKey[];
  fetches: number;
  failing: boolean;
  close(): Promise<void>;
}

async function serveJwks(keys: ProviderKey[]): Promise<Jwks> {
  const jwks: Jwks = { url: '', keys, fetches: 0, failing: false, close: () => Promise.resolve() };
  const server: Server = createServer((_req, res) => {
    jwks.fetches += 1;
    if (jwks.failing) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: jwks.keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwks.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  jwks.close = () => new Promise<void>((r) => server.close(() => r()));
  return jwks;
}

/** A URL on loopback where nothing listens. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}/jwks`;
}

/** A token signed by `key`; `claims` default to a shopper with sub/name and a one-hour expiry. */
async function signed(key: ProviderKey, claims: JWTPayload = {}, header: { kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'jiwoo', name: '지우', iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** The ChatError `promise` rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<ChatError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ChatError) return err;
    throw err;
  }
  throw new Error('expected the token to be refused');
}

let rsa: ProviderKey;
let ec: ProviderKey;
let jwks: Jwks;
beforeAll(async () => {
  rsa = await providerKey('RS256', 'rsa-2026-11');
  ec = await providerKey('ES256', 'ec-2026-11');
  jwks = await serveJwks([rsa, ec]);
});
afterAll(async () => {
  await jwks.close();
});

const verifierFor = (config: Partial<JwtConfig> = {}) => new TokenVerifier({ jwksUrl: jwks.url, ...config });

describe('tokens of the shop identity provider (JWKS)', () => {
  it('accepts an RS256 token from a key in the set', async () => {
    expect(await verifierFor().verify(await signed(rsa))).toMatchObject({ userId: 'jiwoo', name: '지우', role: 'user' });
  });

  it('accepts an ES256 token from a key in the set', async () => {
    expect(await verifierFor().verify(await signed(ec, { role: 'service' }))).toMatchObject({ userId: 'jiwoo', role: 'service' });
  });

  it('reads the user id, name and roles from the configured claims, the role from an array', async () => {
    const verifier = verifierFor({ userIdClaim: 'uid', nameClaim: 'nickname', roleClaim: 'roles' });
    const token = await signed(rsa, { sub: 'ignored', uid: 'u-42', nickname: '사장님', roles: ['seller', 'service'] });
    expect(await verifier.verify(token)).toMatchObject({ userId: 'u-42', name: '사장님', role: 'service' });
  });

  it('takes an integer user id as its decimal string and a role array without the service role as a shopper', async () => {
    const verifier = verifierFor({ userIdClaim: 'uid', roleClaim: 'roles' });
    expect(await verifier.verify(await signed(rsa, { uid: 12345, roles: ['seller'] }))).toMatchObject({
      userId: '12345',
      name: '지우',
      role: 'user',
    });
  });

  it('matches the role claim against the configured service role', async () => {
    const verifier = verifierFor({ serviceRole: 'trade' });
    expect((await verifier.verify(await signed(rsa, { role: 'trade' }))).role).toBe('service');
    expect((await verifier.verify(await signed(rsa, { role: 'service' }))).role).toBe('user');
  });

  it('refuses a token without the configured user id claim', async () => {
    const err = await refusal(verifierFor({ userIdClaim: 'uid' }).verify(await signed(rsa)));
    expect(err.code).toBe('UNAUTHENTICATED');
  });

  it('fetches the set again when a token names a new kid after a key rotation, and accepts it', async () => {
    const before = await providerKey('RS256', 'rsa-before');
    const after = await providerKey('RS256', 'rsa-after');
    const rotating = await serveJwks([before]);
    try {
      const verifier = new TokenVerifier({ jwksUrl: rotating.url, jwksCooldownMs: 0 });
      await verifier.verify(await signed(before));
      await verifier.verify(await signed(before, { sub: 'second' }));
      expect(rotating.fetches).toBe(1); // the set is cached
      rotating.keys = [after];
      expect(await verifier.verify(await signed(after, { sub: 'rotated' }))).toMatchObject({ userId: 'rotated' });
      expect(rotating.fetches).toBe(2);
    } finally {
      await rotating.close();
    }
  });

  it('fetches the set at most once per cooldown however many unknown kids arrive', async () => {
    const listed = await providerKey('RS256', 'listed');
    const limited = await serveJwks([listed]);
    try {
      const verifier = new TokenVerifier({ jwksUrl: limited.url });
      await verifier.verify(await signed(listed));
      for (let i = 0; i < 10; i++) {
        const err = await refusal(verifier.verify(await signed(listed, {}, { kid: `unknown-${i}` })));
        expect(err.code).toBe('UNAUTHENTICATED');
      }
      expect(limited.fetches).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('refuses a token signed by a key that is not in the set, even with a listed kid', async () => {
    const stranger = await providerKey('RS256', rsa.kid);
    const err = await refusal(verifierFor().verify(await signed(stranger)));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toBe('The token is not valid.');
  });

  it('refuses a token whose kid the set does not list, saying so', async () => {
    const stranger = await providerKey('RS256', 'not-listed');
    const err = await refusal(verifierFor({ jwksCooldownMs: 0 }).verify(await signed(stranger)));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(/key the identity provider does not list/);
  });

  it.each([
    ['only the JWKS is configured', {}],
    ['a secret is configured too', { secret: 'a-shared-secret-that-is-long-enough-for-hs256' }],
  ])('refuses an HS256 token signed with the public key as its secret (alg confusion) when %s', async (_what, extra) => {
    const pem = await exportSPKI(rsa.publicKey);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ sub: 'mallory', role: 'service', exp: now + 3600 })
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .sign(new TextEncoder().encode(pem));
    const err = await refusal(verifierFor(extra).verify(forged));
    expect(err.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an HS256 token when no secret is configured, naming what is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'a', exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const err = await refusal(verifierFor().verify(token));
    expect(err.message).toBe('Tokens signed with HS256 are not accepted here; this server takes tokens signed with RS256 or ES256.');
  });

  it('refuses a PS256 token even when its key is in the set', async () => {
    const ps = await providerKey('PS256', 'ps-key');
    const withPs = await serveJwks([ps]);
    try {
      const err = await refusal(new TokenVerifier({ jwksUrl: withPs.url }).verify(await signed(ps)));
      expect(err.message).toMatch(/PS256 are not accepted/);
      expect(withPs.fetches).toBe(0);
    } finally {
      await withPs.close();
    }
  });

  it('refuses an unsigned (alg none) token', async () => {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const token = `${b64({ alg: 'none' })}.${b64({ sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    const err = await refusal(verifierFor().verify(token));
    expect(err.message).toMatch(/^Unsigned tokens are not accepted/);
  });

  it('refuses an expired token, saying it expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const err = await refusal(verifierFor().verify(await signed(rsa, { iat: now - 7200, exp: now - 60 })));
    expect(err.message).toMatch(/expired/i);
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example', aud: 'groupbuy-chat' }],
    ['a wrong audience', { iss: 'https://id.shop.example', aud: 'another-app' }],
    ['no issuer', { aud: 'groupbuy-chat' }],
  ])('refuses a token with %s when issuer and audience are configured', async (_what, claims) => {
    const verifier = verifierFor({ issuer: 'https://id.shop.example', audience: 'groupbuy-chat' });
    expect(await verifier.verify(await signed(rsa, { iss: 'https://id.shop.example', aud: 'groupbuy-chat' }))).toMatchObject({
      userId: 'jiwoo',
    });
    expect((await refusal(verifier.verify(await signed(rsa, claims)))).code).toBe('UNAUTHENTICATED');
  });
});

describe('when the identity provider cannot be reached', () => {
  it('refuses with UNAUTHENTICATED saying the identity provider could not be reached, and logs it once without the token', async () => {
    const lines: string[] = [];
    const verifier = new TokenVerifier(
      { jwksUrl: await deadUrl() },
      createJsonLogger('debug', (line) => lines.push(line)),
    );
    const tokens = [await signed(rsa), await signed(rsa, { sub: 'other' })];
    for (const token of tokens) {
      const err = await refusal(verifier.verify(token));
      expect(err.code).toBe('UNAUTHENTICATED');
      expect(err.message).toMatch(/the identity provider could not be reached/);
    }
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['identity provider unreachable: the JWKS could not be fetched']);
    for (const token of tokens) expect(lines.join('\n')).not.toContain(token.split('.')[2]);
    expect(lines.join('\n')).not.toContain('127.0.0.1');
  });

  it('treats an error answer from the JWKS endpoint as an outage, and logs once when it is back', async () => {
    const lines: string[] = [];
    const flaky = await serveJwks([rsa]);
    try {
      flaky.failing = true;
      const verifier = new TokenVerifier(
        { jwksUrl: flaky.url, jwksCooldownMs: 0 },
        createJsonLogger('debug', (line) => lines.push(line)),
      );
      expect((await refusal(verifier.verify(await signed(rsa)))).message).toMatch(/the identity provider could not be reached/);
      await refusal(verifier.verify(await signed(rsa)));
      flaky.failing = false;
      expect(await verifier.verify(await signed(rsa))).toMatchObject({ userId: 'jiwoo' });
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual([
        'identity provider unreachable: the JWKS could not be fetched',
        'identity provider reachable again',
      ]);
    } finally {
      await flaky.close();
    }
  });

  it('answers REST with 401 UNAUTHENTICATED, not 500', async () => {
    const server = await startTestServer({ jwtJwksUrl: await deadUrl() });
    try {
      const res = await api(server, 'GET', '/api/chat/rooms/anything/messages', { token: await signed(rsa) });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(res.body.error.message).toMatch(/the identity provider could not be reached/);
    } finally {
      await server.dispose();
    }
  });
});

describe('a server that trusts only the identity provider', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      jwtSecret: undefined,
      jwtJwksUrl: jwks.url,
      jwtUserIdClaim: 'uid',
      jwtNameClaim: 'nickname',
      jwtRoleClaim: 'roles',
    });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('lets the trade service create a room and a shopper post over STOMP with RS256 tokens', async () => {
    const service = await signed(ec, { uid: 'trade', roles: ['seller', 'service'] });
    const created = await api(server, 'POST', '/api/chat/rooms', {
      token: service,
      body: { productId: 'jwks-pears', title: 'Pears', maxParticipants: 5, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(created.status).toBe(201);
    const room = created.body as Room;

    const shopper = await signed(rsa, { uid: 'u-7', nickname: '민지', roles: ['buyer'] });
    const peer = await connectStomp(server, shopper);
    try {
      await peer.subscribe(room.productId);
      expect(await peer.send(room.productId, { content: '배송은 언제인가요?', clientMsgId: 'jwks-1' })).toEqual({ ok: true });
      const [message] = await waitFor(() => peer.messages.get(room.productId));
      expect(message).toMatchObject({ type: 'CHAT', content: '배송은 언제인가요?', sender: { userId: 'u-7', name: '민지' } });
    } finally {
      await peer.close();
    }
  });

  it('refuses HS256 tokens (it has no secret) and a shopper creating rooms', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hs = await new SignJWT({ uid: 'x', exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('y'.repeat(40)));
    expect((await api(server, 'GET', '/api/chat/rooms/jwks-pears/messages', { token: hs })).status).toBe(401);
    const shopper = await signed(rsa, { uid: 'u-8', roles: 'buyer' });
    const res = await api(server, 'POST', '/api/chat/rooms', {
      token: shopper,
      body: { productId: 'jwks-apples', title: 'Apples', maxParticipants: 5, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('has no dev tokens to mint without a secret', async () => {
    const res = await api(server, 'POST', '/api/dev/token', { body: { userId: 'a', name: 'A' } });
    expect(res.status).toBe(400);
  });
});
