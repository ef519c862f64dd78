// PII guard (issue 11): its cost per chat message, PII_GUARD=mask vs off, on a mix of ordinary group-buy
// chat (most messages) and messages carrying a phone, e-mail or account number.
// `cd packages/server && node --import tsx bench/pii-guard.mjs` (N messages per round, default 200000).
import { guardContent } from '../src/rooms/pii-guard.ts';

const N = Number(process.env.N ?? 200_000);
const corpus = [
  '안녕하세요! 귤 5kg 한 박스 주문할게요',
  '21,900원 맞나요? 배송은 언제쯤 되나요',
  '마감 2026-12-01 23:59 까지죠?',
  '상품코드 GB-2026-0001 로 3개 부탁드려요 🍊',
  '오후 3:30에 택배 출발한대요',
  '저도 참여했어요. 같이 사요~',
  '제 번호 010-1234-5678 로 연락 주세요',
  '입금은 국민 123456-01-234567 로 할게요',
  '메일 kim.minsu@naver.com 으로 영수증 부탁해요',
  '좋아요 감사합니다 '.repeat(20),
];

function round(mode) {
  let chars = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) chars += guardContent(mode, corpus[i % corpus.length]).content.length;
  const ns = Number(process.hrtime.bigint() - t0) / N;
  if (chars === 0) throw new Error('unreachable');
  return ns;
}

for (const mode of ['off', 'mask']) round(mode); // warm-up
const best = { off: Infinity, mask: Infinity };
for (let r = 0; r < 5; r++) for (const mode of ['off', 'mask']) best[mode] = Math.min(best[mode], round(mode));
console.log(
  JSON.stringify({
    messages: N,
    offNsPerMessage: Math.round(best.off),
    maskNsPerMessage: Math.round(best.mask),
    guardUsPerMessage: Number(((best.mask - best.off) / 1000).toFixed(2)),
    ratio: Number((best.mask / best.off).toFixed(1)),
  }),
);
