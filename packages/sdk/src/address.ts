import {
  ChatError,
  parseShippingAddressInput,
  type AddressList,
  type ShippingAddress,
  type ShippingAddressInput,
} from '@groupbuy/protocol';
import type { RoomRest } from './room-rest.js';
import type { ShippingAddressApi } from './types.js';

// The answer of `GET …/participants/me/address`: the bare address, or `{ address }` (null when none was given).
function addressOf(body: unknown): ShippingAddress | null {
  if (typeof body !== 'object' || body === null) return null;
  const inner = 'address' in body ? body.address : body;
  return typeof inner === 'object' && inner !== null && typeof (inner as Partial<ShippingAddress>).recipient === 'string'
    ? (inner as ShippingAddress)
    : null;
}

/**
 * One room's private shipping addresses (issue 11), kept apart from the chat: the signed-in buyer's own
 * (`session.address`) and, for the host and the service, every buyer's. Input is checked with the protocol's
 * `parseShippingAddressInput` before it leaves (the server's own error, the field named first), so a bad
 * form costs no round trip.
 */
export class ShippingAddresses implements ShippingAddressApi {
  constructor(private readonly api: RoomRest) {}

  /** `GET …/participants/me/address`: the user's own address in this room, or null when they gave none. */
  async get(): Promise<ShippingAddress | null> {
    try {
      return addressOf((await this.api.call('GET', '/participants/me/address')).body);
    } catch (err) {
      if (err instanceof ChatError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /** `PUT …/participants/me/address`: saves (replaces) the user's address; resolves with it as stored. */
  async save(input: ShippingAddressInput): Promise<ShippingAddress> {
    const body = parseShippingAddressInput(input);
    const saved = addressOf((await this.api.call('PUT', '/participants/me/address', body)).body);
    if (!saved) throw new ChatError('INTERNAL', 'The chat server did not answer the saved address.');
    return saved;
  }

  /** `DELETE …/participants/me/address`: forgets the user's address in this room. */
  async remove(): Promise<void> {
    await this.api.call('DELETE', '/participants/me/address');
  }

  /** `GET …/addresses` (host, service): every buyer's address, in join order. */
  async list(): Promise<AddressList> {
    const { body } = await this.api.call<AddressList>('GET', '/addresses');
    return { addresses: Array.isArray(body.addresses) ? body.addresses : [] };
  }

  /** `GET …/addresses?format=csv` (host, service): the same list as CSV for a shipping tool. */
  async csv(): Promise<string> {
    return (await this.api.call('GET', '/addresses?format=csv')).text;
  }
}
