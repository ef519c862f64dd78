import type { PiiKind } from './events.js';

/** What {@link maskPii} returns: the masked text and which kinds of personal data it hid (each once). */
export interface PiiScan {
  /** `text` with every match masked by `*` (unchanged when `found` is empty). */
  text: string;
  /** The kinds found, in the order of {@link PII_KINDS}. */
  found: PiiKind[];
}

/** Every kind the guard recognises, in the order they are reported. */
export const PII_KINDS: readonly PiiKind[] = ['phone', 'email', 'bankAccount', 'residentNumber'];

// 주민등록번호 / 외국인등록번호: YYMMDD-Gnnnnnn, G 1–8; the date part must be a possible date so that
// order numbers and other 13-digit runs are left alone.
const RESIDENT = /(?<![\d-])(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[- ]?([1-8])\d{6}(?![\d-])/g;

// A bank (or the words account/deposit) followed within a few characters by a run of 10–16 digits that
// may be split by dashes or spaces. A bare digit run without a bank nearby is an order or product number.
const BANKS =
  '국민|KB|신한|우리|하나|농협|NH|기업|IBK|카카오뱅크|카뱅|토스뱅크|토스|케이뱅크|새마을|우체국|수협|씨티|SC제일|제일|부산|대구|경남|광주|전북|제주|신협|산업|산림|은행|계좌|입금';
const BANK_ACCOUNT = new RegExp(`((?:${BANKS})[^\\d\\n]{0,12})((?:\\d[- ]?){9,15}\\d)(?![\\d-])`, 'gi');

// Korean phones: mobile 01x, Seoul 02, area codes 031–064, 070, with dashes, dots, spaces or none, or +82.
const PHONE = /(?<![\w-])(\+82[- ]?|0)(1[016789]|2|[3-6][1-5]|70)([-. ]?)(\d{3,4})([-. ]?)(\d{4})(?![\w-])/g;

const EMAIL = /(?<![\w.%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![\w-])/g;

// Every kind but an e-mail address has digits, and an address has an '@': a line with neither (most chat
// lines) skips the scans, and each scan runs only where its kind can be.
const DIGIT = /\d/;

function stars(s: string): string {
  return s.replace(/\d/g, '*');
}

/**
 * Masks personal data in chat text: phone numbers (`010-****-5678`), e-mail addresses (`k***@naver.com`),
 * account numbers next to a bank name (all but the last four digits) and resident registration numbers
 * (entirely). Prices, counts, dates, times and product codes are left alone. Pure; never throws.
 */
export function maskPii(input: string): PiiScan {
  const digits = DIGIT.test(input);
  const at = input.includes('@');
  if (!digits && !at) return { text: input, found: [] };
  const found = new Set<PiiKind>();
  let text = digits ? maskNumbers(input, found) : input;
  if (at) {
    text = text.replace(EMAIL, (_m: string, local: string, domain: string) => {
      found.add('email');
      return `${local.slice(0, 1)}${'*'.repeat(Math.max(3, local.length - 1))}@${domain}`;
    });
  }
  return { text, found: PII_KINDS.filter((k) => found.has(k)) };
}

/** The three kinds made of digits: account numbers, resident registration numbers, phone numbers. */
function maskNumbers(input: string, found: Set<PiiKind>): string {
  // Accounts first: next to a bank name a 13-digit run is an account even when it parses as a date.
  let text = input.replace(BANK_ACCOUNT, (_m: string, bank: string, digits: string) => {
    const count = digits.replace(/\D/g, '').length;
    let seen = 0;
    found.add('bankAccount');
    return (
      bank +
      digits.replace(/\d/g, (d) => {
        seen += 1;
        return seen > count - 4 ? d : '*';
      })
    );
  });
  text = text.replace(RESIDENT, (m: string) => {
    found.add('residentNumber');
    return stars(m);
  });
  return text.replace(PHONE, (_m: string, prefix: string, area: string, s1: string, middle: string, s2: string, last: string) => {
    found.add('phone');
    return `${prefix}${area}${s1}${'*'.repeat(middle.length)}${s2}${last}`;
  });
}
