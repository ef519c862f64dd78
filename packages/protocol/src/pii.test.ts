import { describe, expect, it } from 'vitest';
import type { PiiKind } from './events.js';
import { maskPii } from './pii.js';

const masked: [string, string, PiiKind[]][] = [
  ['제 번호 010-1234-5678 로 연락주세요', '제 번호 010-****-5678 로 연락주세요', ['phone']],
  ['01012345678 문자 주세요', '010****5678 문자 주세요', ['phone']],
  ['연락처:010.9876.5432', '연락처:010.****.5432', ['phone']],
  ['+82 10-1234-5678', '+82 10-****-5678', ['phone']],
  ['+821012345678', '+8210****5678', ['phone']],
  ['가게 02-123-4567 이에요', '가게 02-***-4567 이에요', ['phone']],
  ['031-8765-4321번으로', '031-****-4321번으로', ['phone']],
  ['011-234-5678', '011-***-5678', ['phone']],
  ['메일 kim.minsu@naver.com 으로', '메일 k********@naver.com 으로', ['email']],
  ['a@b.co.kr', 'a***@b.co.kr', ['email']],
  ['국민 123456-01-234567 로 입금', '국민 ******-**-**4567 로 입금', ['bankAccount']],
  ['신한은행 110-123-456789', '신한은행 ***-***-**6789', ['bankAccount']],
  ['카카오뱅크 3333-01-2345678 예금주 김민수', '카카오뱅크 ****-**-***5678 예금주 김민수', ['bankAccount']],
  ['계좌번호: 1002123456789', '계좌번호: *********6789', ['bankAccount']],
  ['주민번호 900101-1234567', '주민번호 ******-*******', ['residentNumber']],
  ['0512314123456', '*************', ['residentNumber']],
  ['010-1111-2222, x@y.com, 농협 301-0123-4567-11', '010-****-2222, x***@y.com, 농협 ***-****-**67-11', ['phone', 'email', 'bankAccount']],
];

const leftAlone = [
  '21,900원에 3개 주문했어요',
  '가격 1,290,000원 / 2,190원',
  '주문 12건, 남은 수량 150개',
  '마감 2026-12-01 23:59 까지',
  '2026.12.01 배송 출발',
  '상품코드 GB-2026-0001, SKU A010-1234-5678',
  '주문번호 20261201-000123',
  '오후 3:30에 만나요, 10:00~18:00',
  '우편번호 06236',
  '1588-1234 고객센터',
  '국민 여러분 3개 남았어요',
  '신한 카드 할인 10%',
  '주문번호 2026120112345678',
  'ID 9913320000000 상품',
  'user@localhost 는 메일이 아니에요',
  // No digit and no '@': the scans are skipped.
  '배송은 언제인가요? 내일 오나요',
  '',
];

describe('maskPii', () => {
  it.each(masked)('masks %j', (input, output, found) => {
    expect(maskPii(input)).toEqual({ text: output, found });
  });
  it.each(leftAlone)('leaves %j alone', (input) => {
    expect(maskPii(input)).toEqual({ text: input, found: [] });
  });
  it('reports each kind once, in a fixed order', () => {
    expect(maskPii('x@y.com 010-1234-5678 z@w.kr 010-2222-3333').found).toEqual(['phone', 'email']);
  });
});
