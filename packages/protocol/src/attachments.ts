import { ChatError } from './errors.js';
import type { AttachmentRef } from './events.js';
import { LIMITS } from './limits.js';

/** Upload ids are what the server mints: a UUID. */
export const ATTACHMENT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The image types an upload may be, recognised by their bytes (not by name or declared type). */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/**
 * Why a file a user picked cannot go up, told before it is sent: `'type'` when its declared type is not one
 * of {@link ATTACHMENT_TYPES}, `'size'` when it is over `maxBytes` (@default `LIMITS.attachmentMaxBytes`),
 * null when it may. The server still recognises the image by its bytes and answers 415 or 413 itself.
 */
export function uploadProblem(file: { size: number; type: string }, maxBytes: number = LIMITS.attachmentMaxBytes): 'type' | 'size' | null {
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return 'type';
  return file.size > maxBytes ? 'size' : null;
}

/** A validated attachment ref: alt text always present (possibly ''). */
export interface ValidAttachmentRef {
  /** The upload id. */
  id: string;
  /** Alt text, 0–200 characters, trimmed. */
  alt: string;
}

function invalid(message: string): ChatError {
  return new ChatError('INVALID_INPUT', message);
}

/**
 * Parses the `attachments` of a send: absent → undefined; otherwise 1–4 distinct `{ id, alt? }` with
 * alt text of at most `LIMITS.altMaxChars`. Throws ChatError INVALID_INPUT with a human message.
 */
export function parseAttachmentRefs(raw: unknown): ValidAttachmentRef[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalid('"attachments" must be a list of {"id": "…", "alt": "…"}.');
  if (raw.length === 0) return undefined;
  if (raw.length > LIMITS.attachmentsPerMessage) throw invalid(`A message can carry at most ${LIMITS.attachmentsPerMessage} images.`);
  const seen = new Set<string>();
  return raw.map((item: unknown): ValidAttachmentRef => {
    const ref = (typeof item === 'object' && item !== null ? item : {}) as Partial<Record<keyof AttachmentRef, unknown>>;
    if (typeof ref.id !== 'string' || !ATTACHMENT_ID_PATTERN.test(ref.id)) throw invalid('An attached image has no valid upload id.');
    if (seen.has(ref.id)) throw invalid('The same image is attached twice.');
    seen.add(ref.id);
    const alt = ref.alt === undefined || ref.alt === null ? '' : ref.alt;
    if (typeof alt !== 'string') throw invalid('The alt text of an image must be text.');
    const text = alt.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (text.length > LIMITS.altMaxChars) throw invalid(`The alt text of an image can be at most ${LIMITS.altMaxChars} characters.`);
    return { id: ref.id, alt: text };
  });
}
