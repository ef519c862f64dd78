import { ChatError } from './errors.js';
import { LIMITS } from './limits.js';
import type { MuteInput } from './room.js';

// The bodies of the moderation routes (issue 11), checked the same way wherever they arrive.

function invalid(message: string): ChatError {
  return new ChatError('INVALID_INPUT', message);
}

function record(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid(`The body must be a JSON object like ${example}.`);
  return body as Record<string, unknown>;
}

function wholeNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** A message seq from a path segment: a whole number ≥ 1. */
export function parseSeqParam(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw invalid('The message seq must be a whole number of at least 1.');
  return Number(raw);
}

/** Body of `POST …/mutes`: `{ userId, durationMs }`, 1 s – `LIMITS.muteMaxMs`. */
export function parseMuteInput(body: unknown): MuteInput {
  const b = record(body, '{"userId": "…", "durationMs": 600000}');
  const userId = b['userId'];
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) throw invalid('userId must be a user id.');
  return { userId, durationMs: wholeNumber(b['durationMs'], 'durationMs', 1000, LIMITS.muteMaxMs) };
}

/** Body of `PUT …/slow-mode`: `{ slowModeMs }`, 0 (off) – `LIMITS.slowModeMaxMs`. */
export function parseSlowModeBody(body: unknown): { slowModeMs: number } {
  const b = record(body, '{"slowModeMs": 10000}');
  return { slowModeMs: wholeNumber(b['slowModeMs'], 'slowModeMs', 0, LIMITS.slowModeMaxMs) };
}

/** Body of `PUT …/pin`: `{ seq }` of a NOTIFICATION. */
export function parsePinBody(body: unknown): { seq: number } {
  const b = record(body, '{"seq": 12}');
  return { seq: wholeNumber(b['seq'], 'seq', 1, Number.MAX_SAFE_INTEGER) };
}

/** Body of `POST …/messages/{seq}/reports`: `{ reason }`, 1–`LIMITS.reportReasonMaxChars` characters after trimming. */
export function parseReportBody(body: unknown): { reason: string } {
  const b = record(body, '{"reason": "spam"}');
  const raw = b['reason'];
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length === 0 || reason.length > LIMITS.reportReasonMaxChars) {
    throw invalid(`reason must be 1–${LIMITS.reportReasonMaxChars} characters.`);
  }
  return { reason };
}
