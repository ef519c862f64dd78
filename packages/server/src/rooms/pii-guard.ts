import { maskPii, type PiiKind } from '@groupbuy/protocol';

/** `PII_GUARD`: `mask` hides phone numbers, e-mail, account and resident numbers in chat text before it is stored; `off` keeps it as sent. */
export type PiiGuardMode = 'mask' | 'off';

/** The text to store and what was hidden in it (issue 11); `found` is empty when nothing was or the guard is off. */
export function guardContent(mode: PiiGuardMode, content: string): { content: string; found: PiiKind[] } {
  if (mode === 'off') return { content, found: [] };
  const scan = maskPii(content);
  return { content: scan.text, found: scan.found };
}

/** Parses PII_GUARD (`mask` or `off`). */
export function parsePiiGuard(value: string): PiiGuardMode {
  if (value === 'mask' || value === 'off') return value;
  throw new Error(`PII_GUARD "${value}" must be mask or off.`);
}
