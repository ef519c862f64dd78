import { ChatError } from '@groupbuy/protocol';
import type { Limiter, RateLimit } from '../rooms/rate-limit.js';

/** Image uploads per user (ATTACHMENT_UPLOAD_LIMIT): a burst of 20, then one every 3 s. @default 20 per 60 000 ms */
export const DEFAULT_UPLOAD_LIMIT: RateLimit = { capacity: 20, refillMs: 60_000 };

/**
 * Takes one upload from `userId`'s bucket (one per user across rooms: the cost is the image work and the
 * storage, not the room) or throws RATE_LIMITED with `retryAfterMs`, worded for images.
 */
export async function takeUpload(limiter: Limiter, userId: string): Promise<void> {
  try {
    await limiter.take(`upload\u0000${userId}`);
  } catch (err) {
    if (!(err instanceof ChatError) || err.code !== 'RATE_LIMITED' || err.retryAfterMs === undefined) throw err;
    const seconds = Math.ceil(err.retryAfterMs / 1000);
    throw new ChatError('RATE_LIMITED', `You are uploading images too fast. Try again in ${seconds} s.`, {
      retryAfterMs: err.retryAfterMs,
    });
  }
}
