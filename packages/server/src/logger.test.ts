import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.js';

describe('createJsonLogger', () => {
  it('writes one JSON object per line with the level and fields', () => {
    const lines: string[] = [];
    createJsonLogger('info', (l) => lines.push(l)).log('info', 'joined', { room: 'p1', user: 'u1' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'joined', room: 'p1', user: 'u1' });
  });

  it('redacts tokens, secrets, content and addresses even when a caller passes them', () => {
    const lines: string[] = [];
    createJsonLogger('debug', (l) => lines.push(l)).log('warn', 'oops', {
      token: 'eyJhbGciOi.x.y',
      authorization: 'Bearer abc',
      content: '제 주소는 …',
      ip: '203.0.113.7',
      remoteAddress: '203.0.113.7',
      shippingAddress: 'Seoul …',
      participants: 3,
    });
    const line = lines[0]!;
    for (const leaked of ['eyJhbGciOi', 'Bearer abc', '제 주소는', '203.0.113.7', 'Seoul']) expect(line).not.toContain(leaked);
    expect(JSON.parse(line)).toMatchObject({ participants: 3 });
  });

  it('drops lines below the minimum level', () => {
    const lines: string[] = [];
    createJsonLogger('warn', (l) => lines.push(l)).log('info', 'quiet');
    expect(lines).toEqual([]);
  });
});
