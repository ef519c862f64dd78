import { ChatError, decideAddress, orThrow, parseShippingAddressInput, type RoomAddress, type ShippingAddress } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { Logger } from '../logger-core.js';
import type { Access, Clock } from '../rooms/service.js';
import type { ChatStore } from '../stores/types.js';

const DAY_MS = 86_400_000;

/** Days an ended room's addresses are kept (ADDRESS_RETENTION_DAYS). @default 30 */
export const DEFAULT_ADDRESS_RETENTION_DAYS = 30;

/** What the address book needs from its RoomService (passed in by the service itself). */
export interface AddressHost {
  /** The room and how `principal` relates to it. Throws ROOM_NOT_FOUND. */
  access(principal: Principal, productId: string): Promise<Access>;
}

/**
 * The buyers' private shipping addresses (issue 11) for the REST routes, the leave path and the scheduler:
 * who may do what is `decideAddress` in @groupbuy/protocol, the validation `parseShippingAddressInput`. Logs
 * name the room and the user, never a field of an address; errors name the field, never its value.
 */
export class AddressBook {
  constructor(
    private readonly host: AddressHost,
    private readonly store: ChatStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Saves the caller's address in the room (a buyer, while ACTIVE or CLOSED). Throws FORBIDDEN, ROOM_NOT_ACTIVE, INVALID_INPUT. */
  async save(principal: Principal, productId: string, body: unknown): Promise<ShippingAddress> {
    const access = await this.host.access(principal, productId);
    orThrow(decideAddress('save', access.relation, access.isParticipant, access.room.status));
    const input = parseShippingAddressInput(body);
    const saved = await this.store.addresses.save(access.room.productId, principal.userId, input, this.clock.now());
    this.logger.log('info', 'shipping address saved', { room: access.room.productId, user: principal.userId });
    return saved;
  }

  /** The caller's own address in the room. Throws ROOM_NOT_FOUND, NOT_FOUND when they gave none. */
  async own(principal: Principal, productId: string): Promise<ShippingAddress> {
    const { room } = await this.host.access(principal, productId);
    const found = await this.store.addresses.get(room.productId, principal.userId);
    if (!found) throw new ChatError('NOT_FOUND', 'You have not given a shipping address for this deal.');
    return found;
  }

  /** Deletes the caller's own address (idempotent: nothing to delete is not an error). Throws ROOM_NOT_FOUND. */
  async remove(principal: Principal, productId: string): Promise<void> {
    const { room } = await this.host.access(principal, productId);
    if (await this.store.addresses.remove(room.productId, principal.userId)) {
      this.logger.log('info', 'shipping address deleted', { room: room.productId, user: principal.userId });
    }
  }

  /** The room's addresses for the seller or the service, in join order. Throws FORBIDDEN for anyone else. */
  async list(principal: Principal, productId: string): Promise<RoomAddress[]> {
    const access = await this.host.access(principal, productId);
    orThrow(decideAddress('list', access.relation, access.isParticipant, access.room.status));
    const roomId = access.room.productId;
    const [stored, participants] = await Promise.all([this.store.addresses.list(roomId), this.store.participants(roomId)]);
    const byUser = new Map(stored.map((s) => [s.userId, s.address]));
    const rows: RoomAddress[] = [];
    for (const p of participants) {
      const address = byUser.get(p.userId);
      if (!address) continue;
      byUser.delete(p.userId);
      rows.push({ userId: p.userId, name: p.name, ...address });
    }
    // A buyer's address goes when they leave; one left behind (a crash between the two writes) is still
    // shown, last, so the seller never ships blind to what the store holds.
    for (const [userId, address] of byUser) rows.push({ userId, name: userId, ...address });
    this.logger.log('info', 'shipping addresses listed', { room: roomId, user: principal.userId, count: rows.length });
    return rows;
  }

  /** Drops a buyer's address when they leave the deal. */
  async forget(productId: string, userId: string): Promise<void> {
    await this.store.addresses.remove(productId, userId);
  }

  /** Deletes the addresses of rooms that ended more than `retentionDays` ago (the scheduler's housekeeping). */
  async purgeExpired(retentionDays: number): Promise<number> {
    const n = await this.store.addresses.purgeEnded(this.clock.now() - retentionDays * DAY_MS);
    if (n > 0) this.logger.log('info', 'shipping addresses purged after retention', { count: n, retentionDays });
    return n;
  }
}

/** How often the scheduler purges expired addresses at the least, in ms (hourly: retention is counted in days). */
export const ADDRESS_PURGE_EVERY_MS = 3_600_000;
