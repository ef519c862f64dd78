import type { ShippingAddress, ShippingAddressInput } from './room.js';

// A module of its own, apart from address.ts (validation, which the SDK's initial code calls): only the
// widget's lazily loaded address form shows an address back, so the widget's first download does not carry it.

/**
 * The address as the widget shows it back once saved: the recipient's name and phone partly hidden
 * (`김*수`, `010-****-5678`) and the unit detail hidden, so a shoulder-surfer learns little.
 */
export function maskShippingAddress<T extends ShippingAddressInput | ShippingAddress>(address: T): T {
  const chars = Array.from(address.recipient);
  const recipient =
    chars.length <= 1
      ? '*'
      : chars.length === 2
        ? `${chars[0] ?? ''}*`
        : `${chars[0] ?? ''}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1] ?? ''}`;
  const parts = address.phone.split('-');
  const phone = parts.map((p, i) => (i === 0 || i === parts.length - 1 ? p : '*'.repeat(p.length))).join('-');
  return {
    ...address,
    recipient,
    phone,
    ...(address.line2 === undefined ? {} : { line2: '*'.repeat(Math.min(address.line2.length, 8)) }),
  };
}
