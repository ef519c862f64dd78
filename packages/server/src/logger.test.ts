import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.js';
import { startTestServer, tokenFor } from './test-support/harness.js';

describe('createJsonLogger (pino)', () => {
  it('writes one JSON object per line with the ISO time, the level as a word, msg and the fields', () => {
    const lines: string[] = [];
    createJsonLogger('info', (l) => lines.push(l)).log('info', 'joined', { room: 'p1', user: 'u1' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'joined', room: 'p1', user: 'u1' });
    expect(new Date(String(line['time'])).toISOString()).toBe(line['time']);
    expect(line).not.toHaveProperty('hostname');
  });

  it('redacts tokens, secrets, content and addresses even when a caller passes them', () => {
    const lines: string[] = [];
    createJsonLogger('debug', (l) => lines.push(l)).log('warn', 'oops', {
      token: 'eyJhbGciOi.x.y',
      authorization: 'Bearer abc',
      cookie: 'sid=s3cr3t',
      content: '제 주소는 …',
      ip: '203.0.113.7',
      remoteAddress: '203.0.113.7',
      shippingAddress: 'Seoul …',
      participants: 3,
    });
    const line = lines[0]!;
    for (const leaked of ['eyJhbGciOi', 'Bearer abc', 's3cr3t', '제 주소는', '203.0.113.7', 'Seoul']) expect(line).not.toContain(leaked);
    expect(JSON.parse(line)).toMatchObject({ participants: 3, token: '[redacted]', content: '[redacted]' });
  });

  it('drops lines below the minimum level (LOG_LEVEL)', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('warn', (l) => lines.push(l));
    logger.log('info', 'quiet');
    logger.log('debug', 'quieter');
    logger.log('error', 'loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});

describe('request logs', () => {
  it('echoes an incoming X-Request-Id, makes one when none is sent, and logs each request with it but without the query', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ logger: createJsonLogger('debug', (l) => lines.push(l)) });
    try {
      const token = await tokenFor('kim');
      const given = await fetch(`${server.url}/api/chat/rooms/nope/events?token=${token}`, { headers: { 'X-Request-Id': 'shop-42_a' } });
      expect(given.headers.get('x-request-id')).toBe('shop-42_a');
      await given.body?.cancel();
      const made = await fetch(`${server.url}/healthz`);
      const madeId = made.headers.get('x-request-id');
      expect(madeId).toMatch(/^[\w-]{8,}$/);

      const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
      expect(requests).toContainEqual(
        expect.objectContaining({ requestId: 'shop-42_a', method: 'GET', path: '/api/chat/rooms/nope/events', status: 404 }),
      );
      expect(requests).toContainEqual(expect.objectContaining({ requestId: madeId, path: '/healthz', level: 'debug' }));
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await server.dispose();
    }
  });
});
