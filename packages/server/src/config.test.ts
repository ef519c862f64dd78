import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { defaultWidgetDir, loadConfig, parseRateLimit } from './config.js';
import { silentLogger } from './logger.js';
import { startFromConfig, type RunningServer } from './server.js';
import { TEST_SECRET, createRoom, tokenFor } from './test-support/harness.js';

const SECRET = 's'.repeat(32);

// A folder that looks like a built widget, for WIDGET_DIR.
let widgetDir: string;
beforeAll(() => {
  widgetDir = mkdtempSync(join(tmpdir(), 'groupbuy-config-widget-'));
  writeFileSync(join(widgetDir, 'groupbuy-chat.bundle.js'), 'export {};\n');
});
afterAll(() => rmSync(widgetDir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('has working defaults outside dev once JWT_SECRET is set', () => {
    expect(loadConfig([], { JWT_SECRET: SECRET })).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: './data/chat.db',
      jwtSecret: SECRET,
      allowedOrigins: [],
      dev: false,
      secretGenerated: false,
      widgetDir: defaultWidgetDir(),
    });
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig([], {
      PORT: '9090',
      HOST: '::1',
      DATABASE_URL: 'file:/var/lib/chat.db',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://shop.example',
      JWT_AUDIENCE: 'groupbuy-chat',
      ALLOWED_ORIGINS: 'https://shop.example, https://m.shop.example,,',
      RATE_LIMIT: '5/2000',
      CHAT_CONTENT_KEY: 'a2V5',
      REDIS_URL: 'redis://cache:6379',
      WIDGET_DIR: widgetDir,
    });
    expect(config).toEqual({
      port: 9090,
      host: '::1',
      databaseUrl: 'file:/var/lib/chat.db',
      jwtSecret: SECRET,
      jwtIssuer: 'https://shop.example',
      jwtAudience: 'groupbuy-chat',
      allowedOrigins: ['https://shop.example', 'https://m.shop.example'],
      rateLimit: { capacity: 5, refillMs: 2000 },
      contentKey: 'a2V5',
      redisUrl: 'redis://cache:6379',
      widgetDir,
      dev: false,
      secretGenerated: false,
    });
  });

  it('prefers flags over the environment, in both --flag value and --flag=value forms', () => {
    const config = loadConfig(['--port', '7000', '--host=127.0.0.2', '--rate-limit', '3/1000', '--jwt-secret', 'f'.repeat(40)], {
      PORT: '9090',
      HOST: '0.0.0.0',
      RATE_LIMIT: '5/2000',
      JWT_SECRET: SECRET,
    });
    expect(config).toMatchObject({ port: 7000, host: '127.0.0.2', rateLimit: { capacity: 3, refillMs: 1000 }, jwtSecret: 'f'.repeat(40) });
  });

  it('reads every flag a deployment can set', () => {
    const config = loadConfig(
      [
        '--database-url=:memory:',
        '--jwt-issuer=iss',
        '--jwt-audience=aud',
        '--allowed-origins=https://a.example',
        '--content-key=a2V5',
        '--redis-url=redis://r',
        '--jwt-secret',
        SECRET,
      ],
      {},
    );
    expect(config).toMatchObject({
      databaseUrl: ':memory:',
      jwtIssuer: 'iss',
      jwtAudience: 'aud',
      allowedOrigins: ['https://a.example'],
      contentKey: 'a2V5',
      redisUrl: 'redis://r',
    });
  });

  it('turns on dev mode with --dev even when the next argument is another flag', () => {
    expect(loadConfig(['--dev', '--port', '0'], {})).toMatchObject({ dev: true, port: 0 });
  });

  it.each([
    ['DEV=true', 'true'],
    ['DEV=1', '1'],
  ])('turns on dev mode with %s', (_what, value) => {
    expect(loadConfig([], { DEV: value }).dev).toBe(true);
  });

  it('stays out of dev mode for DEV=false', () => {
    expect(() => loadConfig([], { DEV: 'false' })).toThrow(/JWT_SECRET is required/);
  });

  it('makes a fresh random secret in dev mode and listens on loopback only', () => {
    const a = loadConfig(['--dev'], {});
    const b = loadConfig(['--dev'], {});
    expect(a.jwtSecret?.length).toBeGreaterThanOrEqual(32);
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
    expect(a).toMatchObject({ secretGenerated: true, host: '127.0.0.1' });
  });

  it('keeps a given secret in dev mode, even a short one', () => {
    expect(loadConfig(['--dev'], { JWT_SECRET: 'short' })).toMatchObject({ jwtSecret: 'short', secretGenerated: false });
  });

  it('requires JWT_SECRET or JWT_JWKS_URL outside dev mode, saying how to get going', () => {
    expect(() => loadConfig([], {})).toThrow(
      "JWT_SECRET is required (or JWT_JWKS_URL for your identity provider's RS256/ES256 tokens, or --dev for a random secret).",
    );
  });

  it('needs no JWT_SECRET outside dev mode when JWT_JWKS_URL is set, and makes none up', () => {
    const config = loadConfig([], { JWT_JWKS_URL: 'https://id.shop.example/.well-known/jwks.json' });
    expect(config).toMatchObject({ jwtJwksUrl: 'https://id.shop.example/.well-known/jwks.json', secretGenerated: false });
    expect(config.jwtSecret).toBeUndefined();
  });

  it('reads the JWKS URL and the claim names from the environment', () => {
    const config = loadConfig([], {
      JWT_SECRET: SECRET,
      JWT_JWKS_URL: 'http://127.0.0.1:9000/jwks',
      JWT_USER_ID_CLAIM: 'uid',
      JWT_NAME_CLAIM: 'nickname',
      JWT_ROLE_CLAIM: 'roles',
      JWT_SERVICE_ROLE: 'trade',
    });
    expect(config).toMatchObject({
      jwtSecret: SECRET,
      jwtJwksUrl: 'http://127.0.0.1:9000/jwks',
      jwtUserIdClaim: 'uid',
      jwtNameClaim: 'nickname',
      jwtRoleClaim: 'roles',
      jwtServiceRole: 'trade',
    });
  });

  it('reads the JWKS URL and the claim names from flags before the environment', () => {
    const config = loadConfig(
      [
        '--jwt-jwks-url=https://a.example/jwks',
        '--jwt-user-id-claim',
        'user_id',
        '--jwt-name-claim=nick',
        '--jwt-role-claim=groups',
        '--jwt-service-role=svc',
      ],
      { JWT_JWKS_URL: 'https://b.example/jwks', JWT_USER_ID_CLAIM: 'uid' },
    );
    expect(config).toMatchObject({
      jwtJwksUrl: 'https://a.example/jwks',
      jwtUserIdClaim: 'user_id',
      jwtNameClaim: 'nick',
      jwtRoleClaim: 'groups',
      jwtServiceRole: 'svc',
    });
  });

  it('leaves the claim names unset (sub, name, role, service) when the variables are empty', () => {
    const config = loadConfig([], {
      JWT_SECRET: SECRET,
      JWT_USER_ID_CLAIM: '',
      JWT_NAME_CLAIM: ' ',
      JWT_ROLE_CLAIM: '',
      JWT_SERVICE_ROLE: '',
    });
    expect(Object.keys(config).filter((k) => k.startsWith('jwt'))).toEqual(['jwtSecret']);
  });

  it('refuses a plain http:// JWT_JWKS_URL to another host outside dev mode: the keys could be swapped on the way', () => {
    expect(() => loadConfig([], { JWT_JWKS_URL: 'http://id.shop.example/jwks' })).toThrow(
      'JWT_JWKS_URL "http://id.shop.example/jwks" must use https:// (plain http:// only to a loopback address, or with --dev).',
    );
  });

  it.each(['http://localhost:9000/jwks', 'http://127.0.0.1/jwks', 'http://[::1]:8443/jwks'])(
    'allows the loopback JWT_JWKS_URL "%s" over plain http://',
    (url) => {
      expect(loadConfig([], { JWT_JWKS_URL: url }).jwtJwksUrl).toBe(url);
    },
  );

  it('allows a plain http:// JWT_JWKS_URL to any host in dev mode', () => {
    expect(loadConfig(['--dev'], { JWT_JWKS_URL: 'http://keycloak:8080/certs' }).jwtJwksUrl).toBe('http://keycloak:8080/certs');
  });

  it.each(['id.shop.example/jwks', 'ftp://id.shop.example/jwks', 'not a url'])('refuses JWT_JWKS_URL "%s", naming the value', (url) => {
    expect(() => loadConfig([], { JWT_JWKS_URL: url })).toThrow(`JWT_JWKS_URL "${url}" must be an http:// or https:// URL.`);
  });

  it('refuses a JWT_SECRET shorter than 32 characters outside dev mode', () => {
    expect(() => loadConfig([], { JWT_SECRET: 's'.repeat(31) })).toThrow(/at least 32 characters/);
  });

  it('reads CHAT_CONTENT_KEYS and --content-keys, refuses a malformed list and refuses it beside CHAT_CONTENT_KEY', () => {
    const k = (n: number) => Buffer.alloc(32, n).toString('base64');
    expect(loadConfig([], { JWT_SECRET: SECRET, CHAT_CONTENT_KEYS: `k2:${k(2)},k1:${k(1)}` }).contentKeys).toBe(`k2:${k(2)},k1:${k(1)}`);
    expect(loadConfig(['--content-keys', `k3:${k(3)}`], { JWT_SECRET: SECRET }).contentKeys).toBe(`k3:${k(3)}`);
    expect(() => loadConfig([], { JWT_SECRET: SECRET, CHAT_CONTENT_KEYS: `k1:${k(1)},k1:${k(2)}` })).toThrow(/distinct/);
    expect(() => loadConfig([], { JWT_SECRET: SECRET, CHAT_CONTENT_KEYS: `k1:${k(1)}`, CHAT_CONTENT_KEY: k(2) })).toThrow(/not both/);
  });

  it('treats empty environment variables as unset', () => {
    const config = loadConfig([], { DEV: '1', JWT_SECRET: '', PORT: '', HOST: '', DATABASE_URL: '' });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: './data/chat.db', secretGenerated: true });
    expect(config.jwtSecret?.length).toBeGreaterThanOrEqual(32);
  });

  it('makes a random dev secret for an empty --jwt-secret= too', () => {
    const config = loadConfig(['--dev', '--jwt-secret='], {});
    expect(config.jwtSecret?.length).toBeGreaterThanOrEqual(32);
    expect(config.secretGenerated).toBe(true);
  });

  it('still requires a secret outside dev mode when JWT_SECRET is empty', () => {
    expect(() => loadConfig([], { JWT_SECRET: '' })).toThrow(/JWT_SECRET is required/);
  });

  it.each(['abc', '-1', '65536', '80.5', '1e3'])('refuses PORT "%s", naming the value', (port) => {
    expect(() => loadConfig([], { JWT_SECRET: SECRET, PORT: port })).toThrow(`PORT "${port}" is not a port number.`);
  });

  it.each([
    ['https://shop.example/', 'as https://shop.example'],
    ['https://Shop.example', 'as https://shop.example'],
    ['https://shop.example:443', 'as https://shop.example'],
    ['shop.example', 'like https://shop.example'],
  ])('refuses ALLOWED_ORIGINS entry "%s", a value no browser sends, saying how to write it', (origin, hint) => {
    expect(() => loadConfig([], { JWT_SECRET: SECRET, ALLOWED_ORIGINS: `https://ok.example, ${origin}` })).toThrow(
      `ALLOWED_ORIGINS entry "${origin}" is not an origin a browser sends: write it ${hint}`,
    );
  });

  it('keeps "*" and origins with a port in ALLOWED_ORIGINS', () => {
    expect(loadConfig([], { JWT_SECRET: SECRET, ALLOWED_ORIGINS: '*, http://127.0.0.1:5173' }).allowedOrigins).toEqual([
      '*',
      'http://127.0.0.1:5173',
    ]);
  });

  it('reads WIDGET_DIR and --widget-dir as absolute folders', () => {
    expect(loadConfig([], { JWT_SECRET: SECRET, WIDGET_DIR: widgetDir }).widgetDir).toBe(widgetDir);
    expect(loadConfig([`--widget-dir=${widgetDir}/`], { JWT_SECRET: SECRET, WIDGET_DIR: '/nowhere' }).widgetDir).toBe(widgetDir);
  });

  it('refuses a WIDGET_DIR without the built widget, saying what is missing', () => {
    expect(() => loadConfig([], { JWT_SECRET: SECRET, WIDGET_DIR: tmpdir() })).toThrow(
      `WIDGET_DIR "${tmpdir()}" has no groupbuy-chat.bundle.js`,
    );
  });

  it('reads SLOW_CONSUMER_BYTES (flag over env) and refuses one below 64 KiB', () => {
    expect(loadConfig([], { JWT_SECRET: SECRET, SLOW_CONSUMER_BYTES: '1048576' }).slowConsumerBytes).toBe(1_048_576);
    expect(loadConfig(['--slow-consumer-bytes', '2097152'], { JWT_SECRET: SECRET, SLOW_CONSUMER_BYTES: '1048576' }).slowConsumerBytes).toBe(
      2_097_152,
    );
    expect(loadConfig([], { JWT_SECRET: SECRET }).slowConsumerBytes).toBeUndefined();
    expect(() => loadConfig([], { JWT_SECRET: SECRET, SLOW_CONSUMER_BYTES: '4096' })).toThrow(/at least 65536/);
    expect(() => loadConfig([], { JWT_SECRET: SECRET, SLOW_CONSUMER_BYTES: '4 MiB' })).toThrow(/number of bytes/);
  });

  it('refuses a malformed RATE_LIMIT at start-up', () => {
    expect(() => loadConfig([], { JWT_SECRET: SECRET, RATE_LIMIT: 'ten per second' })).toThrow(/must look like 10\/10000/);
  });
});

describe('parseRateLimit', () => {
  it('reads messages per milliseconds', () => {
    expect(parseRateLimit('10/10000')).toEqual({ capacity: 10, refillMs: 10_000 });
  });

  it('tolerates surrounding whitespace', () => {
    expect(parseRateLimit(' 20/60000 ')).toEqual({ capacity: 20, refillMs: 60_000 });
  });

  it.each(['10', '10/', '/1000', '10/10s', '-1/1000', '1.5/1000', '10 / 1000'])('refuses "%s"', (value) => {
    expect(() => parseRateLimit(value)).toThrow(/must look like 10\/10000/);
  });

  it.each(['0/10000', '10/0'])('refuses "%s": a limit needs at least one message and a refill time', (value) => {
    expect(() => parseRateLimit(value)).toThrow(/at least 1/);
  });
});

// node:http, because fetch may not set Origin the way a browser does, and the answer's headers matter here.
function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(url: string, origin: string, protocol?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocol ? [protocol] : [], { origin });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => resolve(0));
  });
}

function socketIo(url: string, origin: string, token: string): Promise<'connected' | 'refused'> {
  return new Promise((resolve) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin } });
    socket.on('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.on('connect_error', () => {
      socket.close();
      resolve('refused');
    });
  });
}

describe('ALLOWED_ORIGINS through loadConfig + startFromConfig (the CLI and `pnpm start` alike)', () => {
  const SHOP = 'http://shop.example:8000';
  const OTHER = 'http://evil.example';
  let dir: string;
  let server: RunningServer;
  let productId: string;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-origins-'));
    mkdirSync(dir, { recursive: true });
    const config = loadConfig(['--port', '0', '--host', '127.0.0.1'], {
      JWT_SECRET: TEST_SECRET,
      DATABASE_URL: join(dir, 'chat.db'),
      ALLOWED_ORIGINS: `${SHOP}, https://other-shop.example`,
    });
    server = await startFromConfig(config, { logger: silentLogger });
    productId = (await createRoom(server)).productId;
    token = await tokenFor('origin-shopper');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a REST preflight for a listed origin and not for another', async () => {
    const preflight = (origin: string) =>
      get(
        `${server.url}/api/chat/rooms/${productId}/participants`,
        {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type',
        },
        'OPTIONS',
      );
    const listed = await preflight(SHOP);
    expect(listed.headers['access-control-allow-origin']).toBe(SHOP);
    expect(String(listed.headers['access-control-allow-headers'])).toMatch(/Authorization/i);
    // The widget PUTs slow mode, the pin and a buyer's shipping address (issue 11).
    expect(String(listed.headers['access-control-allow-methods'])).toMatch(/\bPUT\b/);
    const other = await preflight(OTHER);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a listed origin read REST and refuses a request from another origin outright', async () => {
    const listed = await get(`${server.url}/api/chat/rooms/${productId}`, { Origin: SHOP, Authorization: `Bearer ${token}` });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe(SHOP);
    const other = await get(`${server.url}/api/chat/rooms/${productId}`, { Origin: OTHER, Authorization: `Bearer ${token}` });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens the SSE feed for a listed origin with CORS and refuses another origin', async () => {
    const url = `${server.url}/api/chat/rooms/${productId}/events?token=${encodeURIComponent(token)}`;
    const listed = await get(url, { Origin: SHOP, Accept: 'text/event-stream' });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(listed.headers['access-control-allow-origin']).toBe(SHOP);
    expect((await get(url, { Origin: OTHER, Accept: 'text/event-stream' })).status).toBe(403);
  });

  it('upgrades STOMP and plain WebSocket connections from a listed origin and answers 403 to another', async () => {
    const ws = server.url.replace(/^http/, 'ws');
    expect(await upgrade(`${ws}/ws`, SHOP, 'v12.stomp')).toBe(101);
    expect(await upgrade(`${ws}/ws`, OTHER, 'v12.stomp')).toBe(403);
    expect(await upgrade(`${ws}/chat/${productId}?token=${encodeURIComponent(token)}`, SHOP)).toBe(101);
    expect(await upgrade(`${ws}/chat/${productId}?token=${encodeURIComponent(token)}`, OTHER)).toBe(403);
  });

  it('connects Socket.IO from a listed origin and refuses another', async () => {
    expect(await socketIo(server.url, SHOP, token)).toBe('connected');
    expect(await socketIo(server.url, OTHER, token)).toBe('refused');
  });
});
