import { ChatError } from './errors.js';
import type { ShippingAddressInput } from './room.js';

/** Length limits of a shipping address's fields, in characters (after trimming). */
export const ADDRESS_LIMITS = {
  recipientMaxChars: 50,
  line1MaxChars: 200,
  line2MaxChars: 200,
  memoMaxChars: 200,
} as const;

// Controls and bidi overrides never belong in an address label (see CONTROL_CHARS in validate.ts).
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const POSTAL_CODE = /^\d{5}$/;
// Mobile: 010 + 8 digits; the older 011/016–019 + 7 or 8. Landline: Seoul 02 + 7–8, the area codes
// 031–064 + 7–8, internet phones 070 + 8, and the nationwide 15xx/16xx/18xx numbers (8 digits in all).
const MOBILE = /^(010)(\d{4})(\d{4})$|^(01[16789])(\d{3,4})(\d{4})$/;
const LANDLINE = /^(02)(\d{3,4})(\d{4})$|^(0[3-6][1-5])(\d{3,4})(\d{4})$|^(070)(\d{4})(\d{4})$/;
const NATIONWIDE = /^(1[568]\d{2})(\d{4})$/;

function invalid(field: keyof ShippingAddressInput, message: string): ChatError {
  return new ChatError('INVALID_INPUT', `${field}: ${message}`);
}

function text(raw: unknown, field: keyof ShippingAddressInput, max: number, required: boolean): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw invalid(field, 'is required.');
    return undefined;
  }
  if (typeof raw !== 'string') throw invalid(field, 'must be text.');
  const value = raw.replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
  if (value.length === 0) {
    if (required) throw invalid(field, 'is required.');
    return undefined;
  }
  if (value.length > max) throw invalid(field, `can be at most ${max} characters (this one has ${value.length}).`);
  return value;
}

/**
 * A Korean phone number in its dashed form (`010-1234-5678`, `02-123-4567`, `1588-1234`), or undefined
 * when `raw` is not one. Spaces, dashes, dots and brackets are ignored; `+82` / `82` replaces the leading 0.
 */
export function normalizeKoreanPhone(raw: string): string | undefined {
  let digits = raw.replace(/[\s().-]/g, '');
  if (digits.startsWith('+82')) digits = `0${digits.slice(3).replace(/^0/, '')}`;
  if (!/^\d+$/.test(digits)) return undefined;
  const m = MOBILE.exec(digits) ?? LANDLINE.exec(digits);
  if (m) {
    const parts = m.slice(1).filter((p): p is string => p !== undefined);
    return parts.join('-');
  }
  const n = NATIONWIDE.exec(digits);
  return n ? `${n[1] ?? ''}-${n[2] ?? ''}` : undefined;
}

/**
 * Validates and normalises a `PUT …/participants/me/address` body (shared by the server and the widget's
 * form). Throws INVALID_INPUT whose message starts with the offending field's name.
 */
export function parseShippingAddressInput(raw: unknown): ShippingAddressInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ChatError('INVALID_INPUT', 'A shipping address is a JSON object.');
  }
  const body = raw as Record<string, unknown>;
  const recipient = text(body['recipient'], 'recipient', ADDRESS_LIMITS.recipientMaxChars, true) ?? '';
  const phoneText = text(body['phone'], 'phone', 20, true) ?? '';
  const phone = normalizeKoreanPhone(phoneText);
  if (phone === undefined) throw invalid('phone', 'is not a Korean mobile or landline number (e.g. 010-1234-5678).');
  const postalCode = text(body['postalCode'], 'postalCode', 5, true) ?? '';
  if (!POSTAL_CODE.test(postalCode)) throw invalid('postalCode', 'is the 5-digit postal code (e.g. 06236).');
  const line1 = text(body['line1'], 'line1', ADDRESS_LIMITS.line1MaxChars, true) ?? '';
  const line2 = text(body['line2'], 'line2', ADDRESS_LIMITS.line2MaxChars, false);
  const memo = text(body['memo'], 'memo', ADDRESS_LIMITS.memoMaxChars, false);
  return {
    recipient,
    phone,
    postalCode,
    line1,
    ...(line2 === undefined ? {} : { line2 }),
    ...(memo === undefined ? {} : { memo }),
  };
}
