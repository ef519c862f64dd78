import type { ShippingAddressInput } from '@groupbuy/protocol';
import type { Lang } from '../../internal/i18n.js';

/** A shipping-address field of the form, in its order. */
export type AddressField = keyof ShippingAddressInput;

/**
 * The words of the shipping-address form (issue 11). They live beside address-form.ts, in its lazily loaded
 * chunk, rather than in internal/i18n.ts: a reader who never opens the form never downloads them.
 */
export interface AddressFormStrings {
  title: string;
  intro: string;
  labels: Record<AddressField, string>;
  /** What to fix in a field the protocol's `parseShippingAddressInput` refused. */
  errors: Record<AddressField, string>;
  optional: string;
  save: string;
  saving: string;
  cancel: string;
  close: string;
  edit: string;
  remove: string;
  saved: string;
  removed: string;
  loading: string;
}

const ko: AddressFormStrings = {
  title: '배송지',
  intro: '판매자에게만 보여요. 채팅에는 올라가지 않아요.',
  labels: { recipient: '받는 분', phone: '전화번호', postalCode: '우편번호', line1: '주소', line2: '상세 주소', memo: '배송 메모' },
  errors: {
    recipient: '받는 분 이름을 50자 이내로 입력해 주세요.',
    phone: '휴대폰이나 일반 전화번호를 입력해 주세요 (예: 010-1234-5678).',
    postalCode: '우편번호 5자리를 입력해 주세요 (예: 06236).',
    line1: '주소를 200자 이내로 입력해 주세요.',
    line2: '상세 주소는 200자까지 입력할 수 있어요.',
    memo: '배송 메모는 200자까지 입력할 수 있어요.',
  },
  optional: '(선택)',
  save: '저장',
  saving: '저장하는 중…',
  cancel: '취소',
  close: '닫기',
  edit: '수정',
  remove: '삭제',
  saved: '배송지를 저장했어요.',
  removed: '배송지를 삭제했어요.',
  loading: '불러오는 중…',
};

const en: AddressFormStrings = {
  title: 'Shipping address',
  intro: 'Only the seller sees it. It never goes into the chat.',
  labels: {
    recipient: 'Recipient',
    phone: 'Phone',
    postalCode: 'Postal code',
    line1: 'Address',
    line2: 'Apartment, unit',
    memo: 'Note for the courier',
  },
  errors: {
    recipient: "Enter the recipient's name (up to 50 characters).",
    phone: 'Enter a Korean mobile or landline number (e.g. 010-1234-5678).',
    postalCode: 'Enter the 5-digit postal code (e.g. 06236).',
    line1: 'Enter the address (up to 200 characters).',
    line2: 'The unit can be at most 200 characters.',
    memo: 'The note can be at most 200 characters.',
  },
  optional: '(optional)',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  close: 'Close',
  edit: 'Edit',
  remove: 'Delete',
  saved: 'Your shipping address was saved.',
  removed: 'Your shipping address was deleted.',
  loading: 'Loading…',
};

/** The form's strings in `lang`. */
export function addressFormStrings(lang: Lang): AddressFormStrings {
  return lang === 'ko' ? ko : en;
}
