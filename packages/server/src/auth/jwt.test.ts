import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { createJsonLogger } from '../logger.js';
import { TEST_SECRET, api, connectStomp, createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';
import { TokenVerifier, signToken } from './jwt.js';

const ROOMS = '/api/chat/rooms';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT assembled by hand, so the header can say anything; `sign` gets the signing input. */
function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input)}`;
}

const hmac =
  (hash: 'sha256' | 'sha512', secret = TEST_SECRET) =>
  (input: string) =>
    createHmac(hash, secret).update(input).digest('base64url');

/** Claims of a forged trade-service token: if any of them got through, the room would be created. */
function serviceClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'mallory', name: 'Mallory', role: 'service', iat: now, exp: now + 3600, ...overrides };
}

let counter = 0;
/** Tries to create a room with `token`; returns the response. */
async function createWith(target: { url: string }, token: string) {
  return api(target, 'POST', ROOMS, {
    token,
    body: {
      productId: `jwt-${counter++}-${Date.now().toString(36)}`,
      title: 'Pears',
      maxParticipants: 5,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
}

function expectUnauthenticated(res: { status: number; body: any }): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  expect(res.body.error.message).toMatch(/\S/);
}

describe('token verification over REST', () => {
  it('accepts a hand-made HS256 token signed with the secret (the forgeries below differ in one thing only)', async () => {
    const token = handMade({ alg: 'HS256', typ: 'JWT' }, serviceClaims(), hmac('sha256'));
    expect((await createWith(server, token)).status).toBe(201);
  });

  it('refuses an alg "none" token with 401', async () => {
    expectUnauthenticated(
      await createWith(
        server,
        handMade({ alg: 'none', typ: 'JWT' }, serviceClaims(), () => ''),
      ),
    );
  });

  it('refuses a token it verified before once that token expired, and a tampered copy of it at once', async () => {
    const verifier = new TokenVerifier({ secret: TEST_SECRET });
    const { token } = await signToken({ secret: TEST_SECRET }, { userId: 'brief', name: 'Brief', ttlSeconds: 1 });
    expect((await verifier.verify(token)).userId).toBe('brief');
    expect((await verifier.verify(token)).userId).toBe('brief');
    const [header, payload] = token.split('.');
    await expect(verifier.verify(`${header}.${payload}.${hmac('sha256', 'another-secret')(`${header}.${payload}`)}`)).rejects.toThrow(
      /not valid/,
    );
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000) + 50));
    await expect(verifier.verify(token)).rejects.toThrow(/expired/i);
  });

  it('refuses an expired token with 401 and a message saying it expired', async () => {
    const res = await api(server, 'GET', `${ROOMS}/anything`, { token: await tokenFor('erin', { ttlSeconds: -60 }) });
    expectUnauthenticated(res);
    expect(res.body.error.message).toMatch(/expired/i);
  });

  it('refuses a token signed with another secret with 401, without calling it expired', async () => {
    const res = await createWith(
      server,
      handMade({ alg: 'HS256', typ: 'JWT' }, serviceClaims(), hmac('sha256', 'another-secret-that-is-also-long-enough')),
    );
    expectUnauthenticated(res);
    expect(res.body.error.message).not.toMatch(/expired/i);
  });

  it('refuses a token whose payload was changed after signing with 401', async () => {
    const genuine = await tokenFor('shopper');
    const [header, , signature] = genuine.split('.');
    const forged = `${header}.${b64url(serviceClaims({ sub: 'shopper' }))}.${signature}`;
    expectUnauthenticated(await createWith(server, forged));
  });

  it('refuses a token without sub with 401', async () => {
    const { sub: _sub, ...claims } = serviceClaims();
    expectUnauthenticated(await createWith(server, handMade({ alg: 'HS256' }, claims, hmac('sha256'))));
  });

  it('refuses a token with an empty sub with 401', async () => {
    expectUnauthenticated(await createWith(server, handMade({ alg: 'HS256' }, serviceClaims({ sub: '' }), hmac('sha256'))));
  });

  it('refuses a token whose sub is longer than 128 characters with 401', async () => {
    expectUnauthenticated(await createWith(server, handMade({ alg: 'HS256' }, serviceClaims({ sub: 'u'.repeat(129) }), hmac('sha256'))));
  });

  it('refuses a token without exp (every token must expire) with 401', async () => {
    const { exp: _exp, ...claims } = serviceClaims();
    expectUnauthenticated(await createWith(server, handMade({ alg: 'HS256' }, claims, hmac('sha256'))));
  });

  it('refuses a token that is not valid yet (nbf in the future) with 401', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 600;
    expectUnauthenticated(await createWith(server, handMade({ alg: 'HS256' }, serviceClaims({ nbf }), hmac('sha256'))));
  });

  it('refuses an HS512 token signed with the same secret with 401 (the algorithm is pinned)', async () => {
    expectUnauthenticated(await createWith(server, handMade({ alg: 'HS512', typ: 'JWT' }, serviceClaims(), hmac('sha512'))));
  });

  it('refuses a token whose header says RS256 but is signed with the secret with 401', async () => {
    expectUnauthenticated(await createWith(server, handMade({ alg: 'RS256', typ: 'JWT' }, serviceClaims(), hmac('sha256'))));
  });

  it('refuses a genuine RS256 token with 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(serviceClaims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expectUnauthenticated(await createWith(server, token));
  });

  it.each([
    ['a token that is not a JWT', { Authorization: 'Bearer not-a-jwt' }],
    ['a scheme other than Bearer', { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['an empty Bearer', { Authorization: 'Bearer ' }],
  ])('refuses %s with 401', async (_what, headers) => {
    expectUnauthenticated(await api(server, 'GET', `${ROOMS}/anything`, { headers }));
  });

  it('accepts the Bearer scheme in any case', async () => {
    const room = await createRoom(server);
    const res = await api(server, 'GET', `${ROOMS}/${room.productId}`, { headers: { Authorization: `bearer ${await tokenFor('lower')}` } });
    expect(res.status).toBe(200);
  });

  it('treats a role other than "service" as a shopper', async () => {
    const token = handMade({ alg: 'HS256' }, serviceClaims({ role: 'admin' }), hmac('sha256'));
    const res = await createWith(server, token);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('issuer and audience', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({ jwtIssuer: 'https://shop.example', jwtAudience: 'groupbuy-chat' });
  });
  afterAll(async () => {
    await strict.dispose();
  });

  async function tokenWith(claims: { issuer?: string; audience?: string }): Promise<string> {
    return (await signToken({ secret: TEST_SECRET, ...claims }, { userId: 'trade', name: 'Trade', role: 'service' })).token;
  }

  it('accepts a token with the configured issuer and audience', async () => {
    expect((await createWith(strict, await tokenWith({ issuer: 'https://shop.example', audience: 'groupbuy-chat' }))).status).toBe(201);
  });

  it.each([
    ['no issuer or audience', {}],
    ['a wrong issuer', { issuer: 'https://evil.example', audience: 'groupbuy-chat' }],
    ['a wrong audience', { issuer: 'https://shop.example', audience: 'another-app' }],
    ['no audience', { issuer: 'https://shop.example' }],
    ['no issuer', { audience: 'groupbuy-chat' }],
  ])('refuses a token with %s with 401', async (_what, claims) => {
    expectUnauthenticated(await createWith(strict, await tokenWith(claims)));
  });
});

describe('logs', () => {
  it('never contain a token, chat content or the client address, through auth failures, sends and refusals', async () => {
    const lines: string[] = [];
    const logged = await startTestServer({
      logger: createJsonLogger('debug', (line) => lines.push(line)),
      rateLimit: { capacity: 1, refillMs: 60_000 },
    });
    const tokens: string[] = [];
    const remember = (t: string) => (tokens.push(t), t);
    const secretWords = 'the-secret-recipe-is-tangerine';
    try {
      const service = remember(await tokenFor('trade-service', { role: 'service' }));
      const buyer = remember(await tokenFor('buyer'));
      const expired = remember(await tokenFor('late', { ttlSeconds: -60 }));
      const forged = remember(handMade({ alg: 'HS256' }, serviceClaims(), hmac('sha256', 'not-the-secret-but-long-enough-anyway')));
      const unsigned = remember(handMade({ alg: 'none' }, serviceClaims(), () => ''));

      const room = await createRoom(logged);
      await api(logged, 'POST', `${ROOMS}/${room.productId}/participants`, { token: buyer });
      await api(logged, 'POST', `${ROOMS}/${room.productId}/notifications`, { token: service, body: { content: `${secretWords} notice` } });
      await api(logged, 'GET', `${ROOMS}/${room.productId}/messages`, { token: buyer });
      for (const bad of [expired, forged, unsigned]) await api(logged, 'GET', `${ROOMS}/${room.productId}`, { token: bad });
      await api(logged, 'GET', `${ROOMS}/${room.productId}?token=${buyer}`);
      await api(logged, 'GET', `${ROOMS}/no-such-room/events?token=${buyer}`);

      await expect(connectStomp(logged, expired)).rejects.toThrow();
      await expect(connectStomp(logged, forged)).rejects.toThrow();
      const peer = await connectStomp(logged, buyer);
      expect(await peer.send(room.productId, { content: `${secretWords} one`, clientMsgId: 'l-1' })).toEqual({ ok: true });
      expect(await peer.send(room.productId, { content: `${secretWords} two`, clientMsgId: 'l-2' })).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED' },
      });
      await peer.close();
    } finally {
      await logged.dispose();
    }

    const parsed = lines.map((l) => JSON.parse(l) as { msg: string });
    // The scenario did produce the lines that could leak: refusals, joins, failed STOMP sessions.
    expect(parsed.map((l) => l.msg)).toEqual(expect.arrayContaining(['joined', 'send refused', 'stomp session ended']));
    for (const line of lines) {
      for (const token of tokens) {
        expect(line).not.toContain(token);
        const signature = token.split('.')[2];
        if (signature) expect(line).not.toContain(signature);
      }
      expect(line).not.toContain('secret-recipe');
    }
    // The start-up line names the server's own URL; no other line may carry an address.
    expect(lines.filter((l, i) => parsed[i]!.msg !== 'listening' && l.includes('127.0.0.1'))).toEqual([]);
  });
});
