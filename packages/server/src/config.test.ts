import { describe, expect, it } from 'vitest';
import { loadConfig, parseRateLimit } from './config.js';

const SECRET = 's'.repeat(32);

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

  it.each([['DEV=true', 'true'], ['DEV=1', '1']])('turns on dev mode with %s', (_what, value) => {
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
      ['--jwt-jwks-url=https://a.example/jwks', '--jwt-user-id-claim', 'user_id', '--jwt-name-claim=nick', '--jwt-role-claim=groups', '--jwt-service-role=svc'],
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
    const config = loadConfig([], { JWT_SECRET: SECRET, JWT_USER_ID_CLAIM: '', JWT_NAME_CLAIM: ' ', JWT_ROLE_CLAIM: '', JWT_SERVICE_ROLE: '' });
    expect(Object.keys(config).filter((k) => k.startsWith('jwt'))).toEqual(['jwtSecret']);
  });

  it.each(['id.shop.example/jwks', 'ftp://id.shop.example/jwks', 'not a url'])('refuses JWT_JWKS_URL "%s", naming the value', (url) => {
    expect(() => loadConfig([], { JWT_JWKS_URL: url })).toThrow(`JWT_JWKS_URL "${url}" must be an http:// or https:// URL.`);
  });

  it('refuses a JWT_SECRET shorter than 32 characters outside dev mode', () => {
    expect(() => loadConfig([], { JWT_SECRET: 's'.repeat(31) })).toThrow(/at least 32 characters/);
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
