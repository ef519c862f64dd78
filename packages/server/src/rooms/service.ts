import {
  ChatError,
  assertProductId,
  decide,
  orThrow,
  roomRelation,
  statusesAllowing,
  parseCreateRoomInput,
  parseHistoryQuery,
  parseNotificationBody,
  parseJoinBody,
  type ChatMessage,
  type MessagePage,
  type Participant,
  type Room,
  type RoomRelation,
  type RoomView,
  type SendBody,
} from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { MessageBus } from '../bus/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ReadResult } from '../stores/reads.js';
import type { ChatStore, LifecycleResult } from '../stores/types.js';
import type { Limiter } from './rate-limit.js';
import { Moderation, type ModerationDeps } from './moderation.js';
import { AddressBook } from '../addresses/book.js';
import { guardContent, type PiiGuardMode } from './pii-guard.js';
import { Insights } from '../insights/service.js';

// For a rule that does not look at the room (the service's join): any state gives the same answer.
const ANY_ROOM = { status: 'ACTIVE', participantCount: 0, maxParticipants: 1 } as const;

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
  rateLimiter: Limiter;
  /** Structured logs. */
  logger: Logger;
  /** Counters. */
  metrics: Metrics;
  /** Called after a room was created, so the deadline timer can move earlier. */
  onRoomCreated?: (room: Room) => void;
  /**
   * Hands a stored message to this instance's subscribers when the bus refused it (Redis down), so they
   * still get it; other instances fill the gap from the store (the hub's sequencer).
   */
  deliverLocally?: (roomId: string, message: ChatMessage) => void;
  /** Moderation (issue 11): auto slow mode, the private-notice delivery, the after-delete hook. */
  moderation?: Pick<ModerationDeps, 'autoSlowMode' | 'notifyUser' | 'onMessageDeleted' | 'cooldowns'>;
  /** PII guard (issue 11): masks personal data in CHAT text before it is stored. @default 'mask' */
  piiGuard?: PiiGuardMode;
}

/** How a user relates to a room; decides what they may read and write. */
export interface Access {
  /** The room. */
  room: Room;
  /** The relation the room rules (`decide` in @groupbuy/protocol) are asked about. */
  relation: RoomRelation;
  /** A buyer in the deal. */
  isParticipant: boolean;
  /** The seller, or the trade service. */
  isHost: boolean;
}

/**
 * A room's operations for every transport: each asks the room rules of @groupbuy/protocol (rules.ts)
 * about who asks, and the store decides what depends on the room's row inside its transaction, where the
 * answer cannot go stale (a join only there); plus the rate limit. Every write goes to the store first and is then published on the bus.
 * The store is the truth: once a write is stored it is reported done, whatever the bus does with it.
 */
export class RoomService {
  /** Deleting, muting, reports, slow mode and the pinned notice (issue 11); its send checks run in {@link post}. */
  readonly moderation: Moderation;
  /** The buyers' private shipping addresses (issue 11): addresses/book.ts. */
  readonly addresses: AddressBook;
  /** Invite links and the seller's funnel (issue 12): insights/service.ts. */
  readonly insights: Insights;

  constructor(private readonly deps: RoomServiceDeps) {
    this.moderation = new Moderation(this, { store: deps.store, clock: deps.clock, logger: deps.logger, ...deps.moderation });
    this.addresses = new AddressBook(this, deps.store, deps.clock, deps.logger);
    this.insights = new Insights(this, { store: deps.store, clock: deps.clock, logger: deps.logger, metrics: deps.metrics });
  }

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

  /**
   * The room as `principal` sees it: with `unreadCount` (issue 12) and, while muted, `mutedUntil` (issue 11)
   * for a signed-in user (not the trade service), or the public snapshot for `null`.
   */
  async roomFor(principal: Principal | null, productId: string): Promise<Room> {
    return this.personal(principal, await this.getRoom(productId));
  }

  // `room` with the caller's own fields (unreadCount, mutedUntil): see roomFor.
  private async personal(principal: Principal | null, room: Room): Promise<Room> {
    if (!principal || principal.role === 'service') return room;
    const [unreadCount, muteUntil] = await Promise.all([
      this.deps.store.reads.unreadCount(room.productId, principal.userId),
      this.deps.store.moderation.muteUntil(room.productId, principal.userId),
    ]);
    const muted = muteUntil !== null && muteUntil > this.deps.clock.now();
    return { ...room, unreadCount, ...(muted ? { mutedUntil: new Date(muteUntil).toISOString() } : {}) };
  }

  /** Moves `userId`'s read position forward (issue 12; the caller authorised the read). See ChatStore.markRead. */
  markRead(productId: string, userId: string, seq: number): Promise<ReadResult> {
    return this.deps.store.reads.markRead(productId, userId, seq);
  }

  /** Unread messages of `userId` in the room (issue 12). See ChatStore.unreadCount. */
  unreadCount(productId: string, userId: string): Promise<number> {
    return this.deps.store.reads.unreadCount(productId, userId);
  }

  /** The room and how `principal` relates to it. */
  async access(principal: Principal, productId: string): Promise<Access> {
    const room = await this.getRoom(productId);
    const isParticipant = await this.deps.store.isParticipant(room.productId, principal.userId);
    const relation = roomRelation(principal, room, isParticipant);
    return { room, relation, isParticipant, isHost: relation === 'service' || relation === 'host' };
  }

  /** Read access: anyone while ACTIVE; afterwards buyers and the host only. Throws FORBIDDEN. */
  async authorizeRead(principal: Principal, productId: string): Promise<Access> {
    const access = await this.access(principal, productId);
    orThrow(decide(access.relation, 'read', access.room));
    return access;
  }

  /** A page of history for a reader. */
  async history(principal: Principal, productId: string, query: Record<string, unknown>): Promise<MessagePage> {
    const q = parseHistoryQuery(query);
    await this.authorizeRead(principal, productId);
    return this.deps.store.page(productId, q);
  }

  /**
   * What a reader needs to open the chat (`GET /rooms/{id}/view`): the room as roomFor answers it, the
   * latest page of history (only `limit` is read from `query`) and the buyers, behind one read check.
   */
  async view(principal: Principal, productId: string, query: Record<string, unknown>): Promise<RoomView> {
    const q = parseHistoryQuery({ limit: query['limit'] });
    const { room } = await this.authorizeRead(principal, productId);
    const [personal, history, participants] = await Promise.all([
      this.personal(principal, room),
      this.deps.store.page(room.productId, q),
      this.deps.store.participants(room.productId),
    ]);
    return { room: personal, history, participants };
  }

  /** The buyers, for a reader. */
  async participants(principal: Principal, productId: string): Promise<Participant[]> {
    await this.authorizeRead(principal, productId);
    return this.deps.store.participants(productId);
  }

  /**
   * Joins the deal. Returns whether the user was newly added. `body` is the join body (`{ ref? }`,
   * parseJoinBody): a known invite code of another user records them as the inviter (issue 12).
   */
  async join(principal: Principal, productId: string, body?: unknown): Promise<{ room: Room; joined: boolean }> {
    const { ref } = parseJoinBody(body);
    // The store decides the join (already in, the cap, the status: joinOutcome) on the row it holds
    // locked, so reading the room first would only repeat it. What the store cannot see is who asks: the
    // trade service never joins (decide), whatever the room, so that is refused before any read.
    if (principal.role === 'service') orThrow(decide('service', 'join', ANY_ROOM));
    const id = assertProductId(productId);
    const invitedBy = await this.insights.inviterFor(principal, id, ref);
    const user = { userId: principal.userId, name: principal.name, ...(invitedBy ? { invitedBy } : {}) };
    const result = await this.deps.store.join(id, user, this.deps.clock.now());
    await this.publish(result);
    await this.insights.changed(id, principal.userId, result);
    if (result.joined) this.deps.logger.log('info', 'joined', { room: productId, user: principal.userId });
    return { room: result.room, joined: result.joined };
  }

  /** Leaves the deal (while ACTIVE). */
  async leave(principal: Principal, productId: string): Promise<{ room: Room; left: boolean }> {
    const result = await this.deps.store.leave(assertProductId(productId), principal.userId, this.deps.clock.now());
    // A buyer who leaves takes their shipping address with them (issue 11).
    if (result.left) await this.addresses.forget(result.room.productId, principal.userId);
    await this.publish(result);
    await this.insights.changed(result.room.productId, principal.userId, result);
    if (result.left) this.deps.logger.log('info', 'left', { room: productId, user: principal.userId });
    return { room: result.room, left: result.left };
  }

  /** Closes or cancels on request of the host or the trade service. */
  async settleByHost(principal: Principal, productId: string, status: 'CLOSED' | 'CANCELLED'): Promise<Room> {
    const action = status === 'CLOSED' ? 'close' : 'cancel';
    const access = await this.access(principal, productId);
    orThrow(decide(access.relation, action, access.room));
    const result = await this.deps.store.settle(productId, { status, reason: 'HOST' }, this.deps.clock.now());
    if (!result) {
      // Read again: when a concurrent request ended the deal after our read, `access.room` still says ACTIVE.
      orThrow(decide(access.relation, action, await this.getRoom(productId)));
      throw new ChatError('INTERNAL', 'The deal could not be ended; please try again.');
    }
    await this.publish(result);
    this.deps.logger.log('info', 'room settled', { room: productId, user: principal.userId, status });
    return result.room;
  }

  /** Posts a NOTIFICATION (host or trade service), allowed in every status. */
  async notify(principal: Principal, productId: string, body: unknown): Promise<ChatMessage> {
    const { content } = parseNotificationBody(body);
    const access = await this.access(principal, productId);
    orThrow(decide(access.relation, 'notify', access.room));
    const { message } = await this.deps.store.append(
      productId,
      {
        type: 'NOTIFICATION',
        sender: principal.role === 'service' ? null : { userId: principal.userId, name: principal.name },
        content,
        allowedStatuses: statusesAllowing(access.relation, 'notify'),
      },
      this.deps.clock.now(),
    );
    await this.fanOut(productId, message);
    return message;
  }

  /**
   * Posts a CHAT message under the room's rules and the rate limit. A retry with the same clientMsgId
   * returns the stored message with `duplicate: true` and is not broadcast again. `onOrdered` is called once
   * the message's place in the room's order is fixed, before it is stored, where the store applies appends in
   * call order (ChatStore.appendsInCallOrder): the caller may then start its next send (see ConnectionSession).
   */
  async post(
    principal: Principal,
    productId: string,
    body: SendBody,
    onOrdered?: () => void,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const started = performance.now();
    try {
      if (principal.expiresAtMs <= this.deps.clock.now()) {
        throw new ChatError('UNAUTHENTICATED', 'Your session expired. Sign in again.');
      }
      const access = await this.access(principal, productId);
      orThrow(decide(access.relation, 'post', access.room));
      // Muted, or inside slow mode's cooldown: refused before the rate limit spends a token.
      await this.moderation.checkSend(access, principal);
      await this.deps.rateLimiter.take(`${principal.userId}\u0000${productId}`);
      // Re-checked inside the store's transaction: the room may leave ACTIVE between the read above and the write.
      const allowedStatuses = statusesAllowing(access.relation, 'post');
      const guarded = guardContent(this.deps.piiGuard ?? 'mask', body.content);
      const appending = this.deps.store.append(
        productId,
        {
          type: 'CHAT',
          sender: { userId: principal.userId, name: principal.name },
          content: guarded.content,
          ...(body.clientMsgId !== undefined ? { clientMsgId: body.clientMsgId } : {}),
          ...(body.attachments ? { attachments: body.attachments } : {}),
          allowedStatuses,
        },
        this.deps.clock.now(),
      );
      // A send with uploads claims them before its append is made (attachments/store-hook.ts): not yet placed.
      if (this.deps.store.appendsInCallOrder === true && !body.attachments?.length) onOrdered?.();
      const result = await appending;
      if (!result.duplicate) await this.fanOut(productId, result.message);
      if (!result.duplicate) await this.moderation.accepted(access.room, principal.userId);
      // Only the sender is told (never stored): their message went out masked; the address form is the way.
      if (!result.duplicate && guarded.found.length > 0) {
        const notice = { kind: 'PII_MASKED', seq: result.message.seq, found: guarded.found } as const;
        this.deps.moderation?.notifyUser?.(productId, principal.userId, notice);
      }
      this.deps.metrics.inc('groupbuy_messages_sent_total', { result: 'ok' });
      this.deps.metrics.observeSendLatency(performance.now() - started);
      return result;
    } catch (err) {
      const code = err instanceof ChatError ? err.code : 'INTERNAL';
      this.deps.metrics.inc('groupbuy_messages_sent_total', { result: 'error', code });
      if (code === 'RATE_LIMITED') this.deps.metrics.inc('groupbuy_rate_limit_hits_total', { kind: 'send' });
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

  /** Publishes the SYSTEM messages of a change (lifecycle or moderation) to every instance. */
  async publish(result: LifecycleResult): Promise<void> {
    for (const message of result.messages) await this.fanOut(result.room.productId, message);
  }

  // Publishes a stored message. A bus failure does not fail the write (it is stored: its sender must not
  // hear "failed" for a message the room can read); it is counted, and this instance's subscribers get the
  // message directly. Never throws.
  private async fanOut(roomId: string, message: ChatMessage): Promise<void> {
    try {
      await this.deps.bus.publish(roomId, message);
    } catch (err) {
      this.deps.metrics.inc('groupbuy_bus_publish_errors_total');
      this.deps.logger.log('warn', 'bus publish failed; delivered locally, other instances fill from the store', {
        room: roomId,
        seq: message.seq,
        code: err instanceof ChatError ? err.code : 'INTERNAL',
      });
      this.deps.deliverLocally?.(roomId, message);
    }
  }
}

/** True when `access` may read the room's chat: the read rule of @groupbuy/protocol's `decide`. */
export function canRead(access: Access): boolean {
  return decide(access.relation, 'read', access.room).ok;
}
