import {
  ChatError,
  assertProductId,
  parseCreateRoomInput,
  parseHistoryQuery,
  parseNotificationBody,
  type ChatMessage,
  type MessagePage,
  type Participant,
  type Room,
  type RoomStatus,
  type SendBody,
} from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { MessageBus } from '../bus/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ChatStore, LifecycleResult } from '../stores/types.js';
import type { RateLimiter } from './rate-limit.js';

/** A source of time; injected so tests can move it. */
export interface Clock {
  /** Epoch ms. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** What the service needs. */
export interface RoomServiceDeps {
  /** Storage. */
  store: ChatStore;
  /** Fan-out to every instance. */
  bus: MessageBus;
  /** Time. */
  clock: Clock;
  /** Per user + room send limit. */
  rateLimiter: RateLimiter;
  /** Structured logs. */
  logger: Logger;
  /** Counters. */
  metrics: Metrics;
  /** Called after a room was created, so the deadline timer can move earlier. */
  onRoomCreated?: (room: Room) => void;
}

/** How a user relates to a room; decides what they may read and write. */
export interface Access {
  /** The room. */
  room: Room;
  /** A buyer in the deal. */
  isParticipant: boolean;
  /** The seller, or the trade service. */
  isHost: boolean;
}

/**
 * The rules of a room, in one place for every transport: who may read, post, join, close; the lifecycle;
 * the rate limit. Every write goes to the store first and is then published on the bus.
 */
export class RoomService {
  constructor(private readonly deps: RoomServiceDeps) {}

  /** Creates the room for a product (trade service only). Idempotent on productId. */
  async createRoom(principal: Principal, body: unknown): Promise<{ room: Room; created: boolean }> {
    if (principal.role !== 'service') throw new ChatError('FORBIDDEN', 'Only the trade service can create rooms.');
    const input = parseCreateRoomInput(body, this.deps.clock.now());
    const result = await this.deps.store.createRoom(input, this.deps.clock.now());
    if (result.created) {
      this.deps.logger.log('info', 'room created', { room: result.room.productId, user: principal.userId });
      this.deps.onRoomCreated?.(result.room);
    }
    return result;
  }

  /** The room; any signed-in user may see its public state (the product page shows the count). */
  async getRoom(productId: string): Promise<Room> {
    const room = await this.deps.store.getRoom(assertProductId(productId));
    if (!room) throw new ChatError('ROOM_NOT_FOUND', `There is no group-buy room for product "${productId}".`);
    return room;
  }

  /** The room and how `principal` relates to it. */
  async access(principal: Principal, productId: string): Promise<Access> {
    const room = await this.getRoom(productId);
    const isHost = principal.role === 'service' || (room.hostId !== null && room.hostId === principal.userId);
    const isParticipant = await this.deps.store.isParticipant(room.productId, principal.userId);
    return { room, isParticipant, isHost };
  }

  /** Read access: anyone while ACTIVE; afterwards buyers and the host only. Throws FORBIDDEN. */
  async authorizeRead(principal: Principal, productId: string): Promise<Access> {
    const access = await this.access(principal, productId);
    if (!canRead(access)) {
      throw new ChatError(
        'FORBIDDEN',
        access.room.status === 'CLOSED'
          ? 'This deal has closed; only its buyers and the seller can see the chat now.'
          : 'This deal was cancelled; only its buyers and the seller can see the chat.',
      );
    }
    return access;
  }

  /** A page of history for a reader. */
  async history(principal: Principal, productId: string, query: Record<string, unknown>): Promise<MessagePage> {
    const q = parseHistoryQuery(query);
    await this.authorizeRead(principal, productId);
    return this.deps.store.page(productId, q);
  }

  /** The buyers, for a reader. */
  async participants(principal: Principal, productId: string): Promise<Participant[]> {
    await this.authorizeRead(principal, productId);
    return this.deps.store.participants(productId);
  }

  /** Joins the deal. Returns whether the user was newly added. */
  async join(principal: Principal, productId: string): Promise<{ room: Room; joined: boolean }> {
    if (principal.role === 'service') throw new ChatError('FORBIDDEN', 'The trade service cannot join a deal.');
    const result = await this.deps.store.join(assertProductId(productId), principal, this.deps.clock.now());
    await this.publish(result);
    if (result.joined) this.deps.logger.log('info', 'joined', { room: productId, user: principal.userId });
    return { room: result.room, joined: result.joined };
  }

  /** Leaves the deal (while ACTIVE). */
  async leave(principal: Principal, productId: string): Promise<{ room: Room; left: boolean }> {
    const result = await this.deps.store.leave(assertProductId(productId), principal.userId, this.deps.clock.now());
    await this.publish(result);
    if (result.left) this.deps.logger.log('info', 'left', { room: productId, user: principal.userId });
    return { room: result.room, left: result.left };
  }

  /** Closes or cancels on request of the host or the trade service. */
  async settleByHost(principal: Principal, productId: string, status: 'CLOSED' | 'CANCELLED'): Promise<Room> {
    const access = await this.access(principal, productId);
    if (!access.isHost) throw new ChatError('FORBIDDEN', 'Only the seller or the trade service can end this deal.');
    const result = await this.deps.store.settle(productId, { status, reason: 'HOST' }, this.deps.clock.now());
    if (!result) {
      // Read again: when a concurrent request ended the deal after our read, `access.room` still says ACTIVE.
      const current = await this.getRoom(productId);
      throw new ChatError('ROOM_NOT_ACTIVE', `This deal is already ${current.status.toLowerCase()}.`);
    }
    await this.publish(result);
    this.deps.logger.log('info', 'room settled', { room: productId, user: principal.userId, status });
    return result.room;
  }

  /** Posts a NOTIFICATION (host or trade service), allowed in every status. */
  async notify(principal: Principal, productId: string, body: unknown): Promise<ChatMessage> {
    const { content } = parseNotificationBody(body);
    const access = await this.access(principal, productId);
    if (!access.isHost) throw new ChatError('FORBIDDEN', 'Only the seller or the trade service can post notices.');
    const { message } = await this.deps.store.append(
      productId,
      {
        type: 'NOTIFICATION',
        sender: principal.role === 'service' ? null : { userId: principal.userId, name: principal.name },
        content,
        allowedStatuses: ['ACTIVE', 'CLOSED', 'CANCELLED'],
      },
      this.deps.clock.now(),
    );
    await this.deps.bus.publish(productId, message);
    return message;
  }

  /**
   * Posts a CHAT message under the room's rules and the rate limit. A retry with the same clientMsgId
   * returns the stored message with `duplicate: true` and is not broadcast again.
   */
  async post(principal: Principal, productId: string, body: SendBody): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const started = performance.now();
    try {
      if (principal.expiresAtMs <= this.deps.clock.now()) {
        throw new ChatError('UNAUTHENTICATED', 'Your session expired. Sign in again.');
      }
      const access = await this.access(principal, productId);
      const member = access.isParticipant || access.isHost;
      if (access.room.status === 'CANCELLED') {
        throw new ChatError('ROOM_NOT_ACTIVE', 'This deal was cancelled; the chat is read-only.');
      }
      if (access.room.status === 'CLOSED' && !member) {
        throw new ChatError('FORBIDDEN', 'This deal has closed; only its buyers and the seller can chat now.');
      }
      this.deps.rateLimiter.take(`${principal.userId}\u0000${productId}`);
      // Re-checked inside the store's transaction: the room may leave ACTIVE between the read above and the write.
      const allowedStatuses: readonly RoomStatus[] = member ? ['ACTIVE', 'CLOSED'] : ['ACTIVE'];
      const result = await this.deps.store.append(
        productId,
        {
          type: 'CHAT',
          sender: { userId: principal.userId, name: principal.name },
          content: body.content,
          ...(body.clientMsgId !== undefined ? { clientMsgId: body.clientMsgId } : {}),
          allowedStatuses,
        },
        this.deps.clock.now(),
      );
      if (!result.duplicate) await this.deps.bus.publish(productId, result.message);
      this.deps.metrics.inc('groupbuy_messages_sent_total', { result: 'ok' });
      this.deps.metrics.observeSendLatency(performance.now() - started);
      return result;
    } catch (err) {
      const code = err instanceof ChatError ? err.code : 'INTERNAL';
      this.deps.metrics.inc('groupbuy_messages_sent_total', { result: 'error', code });
      this.deps.logger.log(code === 'INTERNAL' ? 'error' : 'info', 'send refused', {
        code,
        room: productId,
        user: principal.userId,
        ...(code === 'INTERNAL' ? { error: String(err) } : {}),
      });
      throw err;
    }
  }

  /** Settles every ACTIVE room whose deadline passed (CLOSED with enough buyers, else CANCELLED). */
  async settleDue(): Promise<number> {
    const now = this.deps.clock.now();
    let settled = 0;
    for (const room of await this.deps.store.dueRooms(now)) {
      const result = await this.deps.store.settle(room.productId, { reason: 'DEADLINE' }, now);
      if (!result) continue; // another instance settled it first
      settled += 1;
      await this.publish(result);
      this.deps.logger.log('info', 'deadline passed', { room: room.productId, status: result.room.status });
    }
    return settled;
  }

  private async publish(result: LifecycleResult): Promise<void> {
    for (const message of result.messages) await this.deps.bus.publish(result.room.productId, message);
  }
}

/** Read access rule, shared by REST and every realtime transport. */
export function canRead(access: Access): boolean {
  return access.room.status === 'ACTIVE' || access.isParticipant || access.isHost;
}
