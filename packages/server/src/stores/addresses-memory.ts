import type { ShippingAddress, ShippingAddressInput } from '@groupbuy/protocol';
import { toShippingAddress, type AddressStore, type StoredAddress } from './addresses.js';
import { notFound } from './rows.js';

/** What the in-memory address store asks its MemoryStore about a room. */
export interface MemoryAddressRooms {
  /** Whether the room exists. */
  exists(productId: string): boolean;
  /** When the room ended (CLOSED or CANCELLED, epoch ms), or null while ACTIVE or when there is no such room. */
  endedAt(productId: string): number | null;
}

/**
 * Shipping addresses (issue 11) on a map, for {@link MemoryStore}: nothing here is at rest, so nothing is
 * sealed (the SQL stores seal every field under ADDRESS_KEYS). Imports nothing from Node.
 */
export class MemoryAddresses implements AddressStore {
  // room → user → address; a Map per room so a purge drops a room at once.
  private readonly byRoom = new Map<string, Map<string, ShippingAddress>>();

  constructor(private readonly rooms: MemoryAddressRooms) {}

  async save(productId: string, userId: string, input: ShippingAddressInput, nowMs: number): Promise<ShippingAddress> {
    if (!this.rooms.exists(productId)) throw notFound(productId);
    const address = toShippingAddress(input, nowMs);
    const room = this.byRoom.get(productId) ?? new Map<string, ShippingAddress>();
    room.set(userId, address);
    this.byRoom.set(productId, room);
    return { ...address };
  }

  async get(productId: string, userId: string): Promise<ShippingAddress | null> {
    const found = this.byRoom.get(productId)?.get(userId);
    return found ? { ...found } : null;
  }

  async list(productId: string): Promise<StoredAddress[]> {
    return [...(this.byRoom.get(productId) ?? new Map<string, ShippingAddress>())].map(([userId, address]) => ({
      userId,
      address: { ...address },
    }));
  }

  async remove(productId: string, userId: string): Promise<boolean> {
    return this.byRoom.get(productId)?.delete(userId) ?? false;
  }

  async purgeEnded(endedBeforeMs: number): Promise<number> {
    let n = 0;
    for (const [productId, room] of this.byRoom) {
      const ended = this.rooms.endedAt(productId);
      if (ended === null || ended > endedBeforeMs) continue;
      n += room.size;
      this.byRoom.delete(productId);
    }
    return n;
  }
}
