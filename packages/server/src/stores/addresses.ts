import { ChatError, type ShippingAddress, type ShippingAddressInput } from '@groupbuy/protocol';
import type { ContentCipher } from './content-cipher.js';

// Private shipping addresses (issue 11): the store side. Addresses live in their own table (migration v4),
// apart from chat, and every field is sealed under the address keyring (ADDRESS_KEYS), never the content keys.

/** A buyer's stored address with whose it is. */
export interface StoredAddress {
  /** The buyer (JWT `sub`). */
  userId: string;
  /** The address as saved, with `updatedAt`. */
  address: ShippingAddress;
}

/**
 * The shipping addresses of a store: `ChatStore.addresses`, one class per backend (addresses-sqlite.ts,
 * postgres/addresses.ts, addresses-memory.ts). One address per buyer and room. Times are epoch ms.
 */
export interface AddressStore {
  /** Saves (or replaces) `userId`'s address in the room; returns it with `updatedAt`. Throws ROOM_NOT_FOUND. */
  save(productId: string, userId: string, input: ShippingAddressInput, nowMs: number): Promise<ShippingAddress>;
  /** `userId`'s address in the room, or null. */
  get(productId: string, userId: string): Promise<ShippingAddress | null>;
  /** The room's addresses, in no particular order (the caller orders them by join). */
  list(productId: string): Promise<StoredAddress[]>;
  /** Deletes `userId`'s address in the room; false when there was none. */
  remove(productId: string, userId: string): Promise<boolean>;
  /** Deletes every address of rooms that ended (CLOSED or CANCELLED) at or before `endedBeforeMs`; returns how many. */
  purgeEnded(endedBeforeMs: number): Promise<number>;
}

/** The key file of a SQLite database when ADDRESS_KEYS is unset: `<database path>.address-key`, base64, mode 0600. */
export function addressKeyFile(dbPath: string): string {
  return `${dbPath}.address-key`;
}

/** What a row of the `addresses` table holds: the sealed address and the id of the key it was sealed under. */
export interface SealedAddress {
  /** The ciphertext of the address JSON (room, user and every field, `updatedAt` included). */
  data: string;
  /** The address key id (`ADDRESS_KEYS`), or null when stored through the plain cipher (tests, embedding without keys). */
  keyId: string | null;
}

// The room and the user go inside the sealed JSON and are checked on opening: a row copied onto another
// buyer's key (room_id, user_id) cannot be passed off as theirs, though AES-GCM here carries no AAD.
interface SealedJson extends ShippingAddress {
  roomId: string;
  userId: string;
}

/** Seals one address for its row. */
export function sealAddress(cipher: ContentCipher, productId: string, userId: string, address: ShippingAddress): SealedAddress {
  const json: SealedJson = { roomId: productId, userId, ...address };
  return { data: cipher.encrypt(JSON.stringify(json)), keyId: cipher.keyId };
}

/** Opens a row sealed by {@link sealAddress}; throws INTERNAL (naming no value) when it is not that buyer's. */
export function openAddress(cipher: ContentCipher, productId: string, userId: string, sealed: SealedAddress): ShippingAddress {
  const plain = sealed.keyId === null ? sealed.data : cipher.decrypt(sealed.data, sealed.keyId);
  const { roomId, userId: owner, ...address } = JSON.parse(plain) as SealedJson;
  if (roomId !== productId || owner !== userId) {
    throw new ChatError('INTERNAL', 'A stored shipping address does not belong to the row it was found in.');
  }
  return address;
}

/** The stored form of a validated input: the fields as given (absent optional ones left out) and the time. */
export function toShippingAddress(input: ShippingAddressInput, nowMs: number): ShippingAddress {
  return {
    recipient: input.recipient,
    phone: input.phone,
    postalCode: input.postalCode,
    line1: input.line1,
    ...(input.line2 === undefined ? {} : { line2: input.line2 }),
    ...(input.memo === undefined ? {} : { memo: input.memo }),
    updatedAt: new Date(nowMs).toISOString(),
  };
}
