import type { ValidCreateRoomInput } from '@groupbuy/protocol';

/** The clock every store contract starts from. */
export const T0 = Date.parse('2030-03-01T09:00:00.000Z');

/** An hour, in ms. */
export const HOUR_MS = 3_600_000;

/** A validated room of 10 (3 to succeed) sold by `seller-1`, an hour to go from T0; `overrides` change any of it. */
export function roomInput(productId: string, overrides: Partial<ValidCreateRoomInput> = {}): ValidCreateRoomInput {
  return {
    productId,
    title: `Group buy ${productId}`,
    maxParticipants: 10,
    minParticipants: 3,
    expiresAt: new Date(T0 + HOUR_MS).toISOString(),
    hostId: 'seller-1',
    ...overrides,
  };
}
