import { describe, expect, it } from 'vitest';
import { maskShippingAddress } from './address-mask.js';
import { normalizeKoreanPhone, parseShippingAddressInput } from './address.js';
import { ChatError } from './errors.js';

const valid = { recipient: '김민수', phone: '010-1234-5678', postalCode: '06236', line1: '서울 강남구 테헤란로 152' };

function refusal(body: unknown): string {
  try {
    parseShippingAddressInput(body);
  } catch (err) {
    return err instanceof ChatError ? `${err.code} ${err.message}` : 'not a ChatError';
  }
  return 'no error';
}

describe('normalizeKoreanPhone', () => {
  it.each([
    ['010-1234-5678', '010-1234-5678'],
    ['01012345678', '010-1234-5678'],
    ['010 1234 5678', '010-1234-5678'],
    ['+82 10-1234-5678', '010-1234-5678'],
    ['+82-010-1234-5678', '010-1234-5678'],
    ['+821012345678', '010-1234-5678'],
    ['011-234-5678', '011-234-5678'],
    ['02-123-4567', '02-123-4567'],
    ['0212345678', '02-1234-5678'],
    ['(031) 876-5432', '031-876-5432'],
    ['064-712-3456', '064-712-3456'],
    ['070-1234-5678', '070-1234-5678'],
    ['1588-1234', '1588-1234'],
  ])('%s → %s', (raw, out) => {
    expect(normalizeKoreanPhone(raw)).toBe(out);
  });
  it.each(['010-123-5678', '010-12345-6789', '012-1234-5678', '099-123-4567', '12345', '010-1234-567a', '+1 212 555 0100', ''])(
    'refuses %j',
    (raw) => {
      expect(normalizeKoreanPhone(raw)).toBeUndefined();
    },
  );
});

describe('parseShippingAddressInput', () => {
  it('normalises a valid address (phone dashed, whitespace collapsed, empty optional fields dropped)', () => {
    expect(
      parseShippingAddressInput({ ...valid, phone: '+821012345678', line1: '  서울 강남구\n테헤란로 152 ', line2: '', memo: ' 문 앞 ' }),
    ).toEqual({ ...valid, memo: '문 앞' });
  });
  it('keeps line2 and memo', () => {
    expect(parseShippingAddressInput({ ...valid, line2: '101동 1203호', memo: '경비실' })).toEqual({
      ...valid,
      line2: '101동 1203호',
      memo: '경비실',
    });
  });
  it.each([
    [{ ...valid, recipient: ' ' }, 'recipient'],
    [{ ...valid, recipient: '가'.repeat(51) }, 'recipient'],
    [{ ...valid, phone: '123-4567' }, 'phone'],
    [{ ...valid, phone: 1012345678 }, 'phone'],
    [{ ...valid, postalCode: '1234' }, 'postalCode'],
    [{ ...valid, postalCode: '135-080' }, 'postalCode'],
    [{ ...valid, line1: undefined }, 'line1'],
    [{ ...valid, line1: '가'.repeat(201) }, 'line1'],
    [{ ...valid, line2: '가'.repeat(201) }, 'line2'],
    [{ ...valid, memo: '가'.repeat(201) }, 'memo'],
  ])('refuses %j naming %s', (body, field) => {
    expect(refusal(body)).toMatch(new RegExp(`^INVALID_INPUT ${field}: `));
  });
  it('refuses a non-object', () => {
    expect(refusal('x')).toMatch(/^INVALID_INPUT /);
    expect(refusal([valid])).toMatch(/^INVALID_INPUT /);
  });
});

describe('maskShippingAddress', () => {
  it('hides the middle of the name and phone and the unit detail', () => {
    expect(maskShippingAddress({ ...valid, line2: '101동 1203호' })).toEqual({
      ...valid,
      recipient: '김*수',
      phone: '010-****-5678',
      line2: '********',
    });
    expect(maskShippingAddress({ ...valid, recipient: '이솔' }).recipient).toBe('이*');
  });
});
