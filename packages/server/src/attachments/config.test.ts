import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

const SECRET = 's'.repeat(40);

describe('attachment settings', () => {
  it('reads ATTACHMENT_DIR, ATTACHMENT_MAX_BYTES and ATTACHMENT_URL_SECRET', () => {
    const config = loadConfig([], {
      JWT_SECRET: SECRET,
      ATTACHMENT_DIR: '/var/lib/chat/images',
      ATTACHMENT_MAX_BYTES: '5242880',
      ATTACHMENT_URL_SECRET: 'u'.repeat(32),
    });
    expect(config).toMatchObject({
      attachmentDir: '/var/lib/chat/images',
      attachmentMaxBytes: 5_242_880,
      attachmentUrlSecret: 'u'.repeat(32),
    });
  });

  it('refuses a size that is not a number of bytes, and a short URL secret', () => {
    expect(() => loadConfig([], { JWT_SECRET: SECRET, ATTACHMENT_MAX_BYTES: '10MB' })).toThrow(/ATTACHMENT_MAX_BYTES/);
    expect(() => loadConfig([], { JWT_SECRET: SECRET, ATTACHMENT_URL_SECRET: 'short' })).toThrow(/ATTACHMENT_URL_SECRET/);
  });
});
