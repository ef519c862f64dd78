import type { AddressList, ShippingAddress, ShippingAddressInput } from '@groupbuy/protocol';
import type { RoomRest } from './room-rest.js';
import type { ShippingAddressApi } from './types.js';

const calls = () => import('./address-calls.js');

/**
 * One room's private shipping addresses (issue 11), kept apart from the chat: the signed-in buyer's own
 * (`session.address`) and, for the host and the service, every buyer's. Input is checked with the protocol's
 * `parseShippingAddressInput` before it leaves (the server's own error, the field named first), so a bad
 * form costs no round trip. The calls load on first use (address-calls.ts).
 */
export class ShippingAddresses implements ShippingAddressApi {
  constructor(private readonly api: RoomRest) {}

  /** @inheritdoc */
  async get(): Promise<ShippingAddress | null> {
    return (await calls()).getAddress(this.api);
  }

  /** @inheritdoc */
  async save(input: ShippingAddressInput): Promise<ShippingAddress> {
    return (await calls()).saveAddress(this.api, input);
  }

  /** @inheritdoc */
  async remove(): Promise<void> {
    return (await calls()).removeAddress(this.api);
  }

  /** `GET …/addresses` (host, service): every buyer's address, in join order. */
  async list(): Promise<AddressList> {
    return (await calls()).listAddresses(this.api);
  }

  /** `GET …/addresses?format=csv` (host, service): the same list as CSV for a shipping tool. */
  async csv(): Promise<string> {
    return (await calls()).addressesCsv(this.api);
  }
}
