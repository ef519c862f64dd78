import {
  ChatError,
  parseShippingAddressInput,
  type AddressList,
  type ShippingAddress,
  type ShippingAddressInput,
} from '@groupbuy/protocol';
import type { RoomRest } from './room-rest.js';

// The shipping-address routes (issue 11, docs/protocol.md "Shipping addresses"). Loaded on first use
// (`import()` from ShippingAddresses): a chat's first paint needs none of it.

// The answer of `GET …/participants/me/address`: the bare address, or `{ address }` (null when none was given).
function addressOf(body: unknown): ShippingAddress | null {
  if (typeof body !== 'object' || body === null) return null;
  const inner = 'address' in body ? body.address : body;
  return typeof inner === 'object' && inner !== null && typeof (inner as Partial<ShippingAddress>).recipient === 'string'
    ? (inner as ShippingAddress)
    : null;
}

/** `GET …/participants/me/address`: the user's own address in this room, or null when they gave none. */
export async function getAddress(api: RoomRest): Promise<ShippingAddress | null> {
  try {
    return addressOf((await api.call('GET', '/participants/me/address')).body);
  } catch (err) {
    if (err instanceof ChatError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

/** `PUT …/participants/me/address`, checked by `parseShippingAddressInput` first; resolves with the address as stored. */
export async function saveAddress(api: RoomRest, input: ShippingAddressInput): Promise<ShippingAddress> {
  const saved = addressOf((await api.call('PUT', '/participants/me/address', parseShippingAddressInput(input))).body);
  if (!saved) throw new ChatError('INTERNAL', 'The chat server did not answer the saved address.');
  return saved;
}

/** `DELETE …/participants/me/address`: forgets the user's address in this room. */
export async function removeAddress(api: RoomRest): Promise<void> {
  await api.call('DELETE', '/participants/me/address');
}

/** `GET …/addresses` (host, service): every buyer's address, in join order. */
export async function listAddresses(api: RoomRest): Promise<AddressList> {
  const { body } = await api.call<AddressList>('GET', '/addresses');
  return { addresses: Array.isArray(body.addresses) ? body.addresses : [] };
}

/** `GET …/addresses?format=csv` (host, service): the same list as CSV for a shipping tool. */
export async function addressesCsv(api: RoomRest): Promise<string> {
  return (await api.call('GET', '/addresses?format=csv')).text;
}
