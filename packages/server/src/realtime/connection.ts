import {
  ChatError,
  LIMITS,
  assertProductId,
  parseSendBody,
  parseSeq,
  toChatError,
  type Ack,
  type ClientCommand,
  type ErrorInfo,
  type ServerEvent,
} from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { RealtimeContext } from './context.js';
import { relayTyping } from './ephemeral.js';
import type { Delivery } from './hub.js';
import { Entry, Handle } from './session-parts.js';
import { SLOW_CONSUMER_GRACE_MS, slowConsumerCut } from './slow-consumer.js';

// No Node built-ins here (nor in hub.ts): @groupbuy/testing runs this loop in a browser, with the SDK on the
// other side of a plain JS adapter instead of a socket.

/** The transports that run on a {@link ConnectionSession}; `in-process` is the SDK wired to the core with no socket. */
export type SessionTransport = 'stomp' | 'socket.io' | 'ws' | 'in-process';

/** A server event about one subscription, other than a message. */
export type SubscriptionEvent = Extract<
  ServerEvent,
  { type: 'replay-truncated' | 'subscription-ended' | 'viewers' | 'typing' | 'read' | 'notice' }
>;

/**
 * What a transport hands the session: the few ways to reach its client. A codec over a socket frames each
 * call in its wire format; the in-process transport passes the events to the SDK as objects.
 *
 * Calls arrive only while the session is open. When the connection ends from the client's side (socket
 * closed, SDK closed the transport), the transport calls {@link ConnectionSession.dispose}.
 */
export interface SocketAdapter {
  /** Which transport, for metrics and logs. */
  readonly transport: SessionTransport;
  /**
   * True when an ack can carry results (Socket.IO, in-process): a send's ack has the stored message and a
   * subscribe's ack the room. False (STOMP RECEIPT, the plain WebSocket): acks are bare, and a retried send's
   * stored message is delivered again on the sender's subscriptions of that room instead.
   */
  readonly acksCarryResults: boolean;
  /**
   * A stored message (live, replayed, or a duplicate re-delivered) for one of the connection's subscriptions.
   * `delivery` is shared by every subscriber: read it, never change it (`json` is serialised once).
   */
  deliver(subscriptionId: string, delivery: Delivery): void;
  /** Any other event about one subscription. After `subscription-ended` the subscription is gone. */
  event(subscriptionId: string, event: SubscriptionEvent): void;
  /**
   * Ends the connection with a protocol error (bad or expired token, flood, oversized frame, shutdown): the
   * transport sends its goodbye in its own words (STOMP ERROR frame, close code…) and closes. Called once;
   * the session has already let go of its subscriptions.
   */
  close(error: ErrorInfo): void;
  /** Cuts the connection without a goodbye (fault tests; a slow consumer once its goodbye had its grace). May follow {@link close}. */
  terminate(): void;
  /** Bytes waiting in this server to be sent to the client (`ws.bufferedAmount`, Socket.IO's write buffer), checked against `slowConsumerBytes` before each delivery. */
  bufferedBytes?(): number;
}

/**
 * A client command as a codec decoded it from a frame: the protocol's {@link ClientCommand} shapes, with the
 * fields not yet checked (they came off the wire). The session validates them, so every transport refuses the
 * same input with the same code and words.
 */
export type DecodedCommand =
  /** `subscriptionId` names the subscription in events (STOMP's `id`); @default the room id */
  | { type: 'subscribe'; roomId: unknown; sinceSeq?: unknown; subscriptionId?: string }
  /** By `subscriptionId` (which must exist), else every subscription of `roomId` (none is fine). */
  | { type: 'unsubscribe'; roomId?: unknown; subscriptionId?: string }
  /** `body` is `{ content, clientMsgId? }` (or the seed's `{ content, timestamp }`), as an object or JSON text. */
  | { type: 'send'; roomId: unknown; body: unknown }
  /** "I am typing" in `roomId` (ephemeral; see the `typing` ServerEvent). */
  | { type: 'typing'; roomId: unknown };

/** A typed command (the in-process transport's) in the form the session takes. */
export function decodeCommand(command: ClientCommand): DecodedCommand {
  if (command.type !== 'send') return command;
  return { type: 'send', roomId: command.roomId, body: { content: command.content, clientMsgId: command.clientMsgId } };
}

/** Verifies a token for `transport`, counting refusals at /metrics. Throws ChatError UNAUTHENTICATED. */
export async function verifyToken(ctx: RealtimeContext, transport: SessionTransport, token: string | null): Promise<Principal> {
  try {
    return await ctx.verifier.verify(token);
  } catch (err) {
    ctx.metrics.inc('groupbuy_auth_failures_total', { transport });
    throw err;
  }
}

// Connection ids key the frame budget; unique per process, which is all the budget needs.
let connections = 0;

/**
 * One client connection of any two-way transport, between its codec and the core: authentication and hub
 * registration (the hub ends it when the token expires), the frame budget and size cap, one-at-a-time
 * handling in arrival order, the subscription cap, command validation, error mapping to acks, and the
 * re-delivery of duplicate sends. A codec decodes frames into {@link DecodedCommand}s and encodes the acks
 * and {@link SocketAdapter} calls; it holds no room state of its own.
 *
 * @example
 * const session = new ConnectionSession(ctx, adapter);
 * session.run(() => session.authenticate(token).then(() => undefined));
 * onFrame((bytes, command) => {
 *   if (session.withinSize(bytes) && session.admit()) session.handle(command, (ack) => sendAck(ack));
 * });
 * onSocketClosed(() => session.dispose());
 */
export class ConnectionSession {
  private user: Principal | null = null;
  private readonly subs = new Map<string, Entry>();
  private work: Promise<void> = Promise.resolve();
  // Settles once every send answered so far has been answered (sends run ahead of their acks: see answer).
  private sending: Promise<void> = Promise.resolve();
  private unregister: (() => void) | null = null;
  private ended = false;
  private readonly id = `conn-${++connections}`;

  constructor(
    private readonly ctx: RealtimeContext,
    private readonly adapter: SocketAdapter,
  ) {}

  /** The verified user, once {@link authenticate} or {@link start} succeeded. */
  get principal(): Principal | null {
    return this.user;
  }

  /** True once the connection ended (either side). */
  get closed(): boolean {
    return this.ended;
  }

  /** True when `subscriptionId` names one of this connection's room subscriptions. */
  hasSubscription(subscriptionId: string): boolean {
    return this.subs.has(subscriptionId);
  }

  /** False (and the connection ended with PAYLOAD_TOO_LARGE) when a frame of `bytes` is over {@link LIMITS.frameMaxBytes}. */
  withinSize(bytes: number): boolean {
    if (this.ended) return false;
    if (bytes <= LIMITS.frameMaxBytes) return true;
    this.end(new ChatError('PAYLOAD_TOO_LARGE', `A frame can be at most ${LIMITS.frameMaxBytes} bytes.`));
    return false;
  }

  /**
   * Counts one incoming frame (any frame, valid or not) against the connection's budget. False, and the
   * connection ended with RATE_LIMITED, when a client floods the server with frames.
   */
  admit(): boolean {
    if (this.ended) return false;
    try {
      this.ctx.frameLimiter.takeNow(this.id);
      return true;
    } catch {
      this.ctx.metrics.inc('groupbuy_rate_limit_hits_total', { kind: 'frame' });
      this.end(new ChatError('RATE_LIMITED', 'Too many frames on this connection; reconnect and slow down.'));
      return false;
    }
  }

  /**
   * Runs `task` after every earlier task and command of this connection, so frames take effect in the order
   * they arrived (a send is stored before the next frame is read). Skipped once the connection ended. A
   * throw ends the connection with that error (anything not a ChatError as INTERNAL, logged).
   */
  run(task: () => void | Promise<void>): void {
    this.work = this.work
      .then(async () => {
        if (!this.ended) await task();
      })
      .catch((err: unknown) => this.fail(err));
  }

  // A task's throw: ends the connection with that error (anything not a ChatError as INTERNAL, logged).
  private fail(err: unknown): void {
    const error = toChatError(err);
    if (error.code === 'INTERNAL') this.logFailure(err);
    this.end(error);
  }

  /**
   * Verifies `token` and {@link start}s; call it inside {@link run} so later frames wait for it. On a refused
   * token the connection ends with the error and this resolves null.
   */
  async authenticate(token: string | null): Promise<Principal | null> {
    let principal: Principal;
    try {
      principal = await verifyToken(this.ctx, this.adapter.transport, token);
    } catch (err) {
      this.end(toChatError(err));
      return null;
    }
    if (this.ended) return null;
    this.start(principal);
    return principal;
  }

  /** Signs the connection in as an already verified `principal` (Socket.IO verifies in its handshake) and registers it with the hub. */
  start(principal: Principal): void {
    if (this.ended) return;
    if (this.user) throw new ChatError('INVALID_INPUT', 'This connection is already signed in.');
    this.user = principal;
    this.unregister = this.ctx.hub.register(new Handle(this, this.adapter.transport, principal));
  }

  /**
   * Runs `command` in order (see {@link run}) and answers through `reply`, before the next frame is handled.
   * A refusal is an `{ ok: false, error }` ack and the connection stays; an error that ends the connection
   * (the token expired) is answered by {@link SocketAdapter.close} instead, and `reply` is not called.
   */
  handle(command: DecodedCommand, reply: (ack: Ack) => void): void {
    this.run(() => this.answer(command, reply));
  }

  /** {@link handle} now, for a codec's own task that already runs in order (inside {@link run}). */
  async answer(command: DecodedCommand, reply: (ack: Ack) => void): Promise<void> {
    if (command.type !== 'send') {
      await this.sending;
      return this.finish(command, reply);
    }
    // A send resolves as soon as its place in the room's order is fixed (RoomService.post's `onOrdered`, only
    // where the store applies appends in call order), so the next frame's send can join the same group commit;
    // its own ack still waits for its durable write. Any other command first waits for the sends before it.
    let ordered = (): void => undefined;
    const placed = new Promise<void>((resolve) => (ordered = resolve));
    const done = this.finish(command, reply, ordered).catch((err: unknown) => this.fail(err));
    this.sending = Promise.all([this.sending, done]).then(() => undefined);
    await Promise.race([placed, done]);
  }

  private async finish(command: DecodedCommand, reply: (ack: Ack) => void, ordered?: () => void): Promise<void> {
    const ack = await this.execute(command, ordered);
    if (this.ended) return;
    if (!ack.ok && ack.error.code === 'UNAUTHENTICATED') this.end(ack.error);
    else reply(ack);
  }

  // Never throws: a refusal is an `{ ok: false, error }` ack with a protocol code.
  private async execute(command: DecodedCommand, ordered?: () => void): Promise<Ack> {
    try {
      const principal = this.user;
      if (!principal) throw new ChatError('UNAUTHENTICATED', 'Sign in before sending commands.');
      if (command.type === 'subscribe') return await this.subscribe(principal, command);
      if (command.type === 'unsubscribe') return this.unsubscribe(command);
      if (command.type === 'typing') {
        await relayTyping(this.ctx, principal, command.roomId);
        return { ok: true };
      }
      return await this.send(principal, command, ordered);
    } catch (err) {
      const error = toChatError(err);
      if (error.code === 'INTERNAL') this.logFailure(err);
      return { ok: false, error: error.toInfo() };
    }
  }

  /** Ends the connection with `error`: lets go of everything, logs the code, and has the transport say goodbye. Idempotent. */
  end(error: ChatError | ErrorInfo): void {
    if (this.ended) return;
    const info = error instanceof ChatError ? error.toInfo() : error;
    this.ctx.logger.log(info.code === 'INTERNAL' ? 'error' : 'info', `${this.adapter.transport} session ended`, {
      code: info.code,
      user: this.user?.userId ?? null,
    });
    this.dispose();
    this.adapter.close(info);
  }

  /** Cuts the connection without a goodbye (the hub's fault-test drop): lets go of everything, then the socket. */
  terminate(): void {
    this.dispose();
    this.adapter.terminate();
  }

  /** The connection is gone (the socket closed): unsubscribes everything and unregisters. Idempotent; no adapter call follows. */
  /** Settles once every send so far has been answered (a DISCONNECT's receipt comes after theirs). */
  settled(): Promise<void> {
    return this.sending;
  }

  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    for (const entry of this.subs.values()) if (entry.hubSub) this.ctx.hub.unsubscribe(entry.hubSub);
    this.subs.clear();
    this.unregister?.();
    this.unregister = null;
  }

  private async subscribe(principal: Principal, command: Extract<DecodedCommand, { type: 'subscribe' }>): Promise<Ack> {
    const roomId = assertProductId(command.roomId);
    const sinceSeq = parseSeq(command.sinceSeq, 'sinceSeq');
    const key = command.subscriptionId ?? roomId;
    if (this.subs.has(key)) {
      throw new ChatError(
        'INVALID_INPUT',
        command.subscriptionId === undefined ? `Already subscribed to "${roomId}".` : `Subscription id "${key}" is already in use.`,
      );
    }
    if (this.subs.size >= LIMITS.subscriptionsPerConnection) {
      throw new ChatError('INVALID_INPUT', `A connection can follow at most ${LIMITS.subscriptionsPerConnection} rooms.`);
    }
    // Registered before the hub answers, so the subscription counts against the cap while it replays.
    const entry = new Entry(this, key, roomId);
    this.subs.set(key, entry);
    try {
      entry.hubSub = await this.ctx.hub.subscribe(principal, roomId, sinceSeq, entry);
    } catch (err) {
      if (this.subs.get(key) === entry) this.subs.delete(key);
      throw err;
    }
    // The connection closed, or the hub ended the subscription, while it was being set up.
    if (this.ended || this.subs.get(key) !== entry) this.ctx.hub.unsubscribe(entry.hubSub);
    if (!this.adapter.acksCarryResults) return { ok: true };
    return { ok: true, room: await this.ctx.service.roomFor(principal, roomId) };
  }

  private unsubscribe(command: Extract<DecodedCommand, { type: 'unsubscribe' }>): Ack {
    if (command.subscriptionId !== undefined) {
      if (!this.subs.has(command.subscriptionId))
        throw new ChatError('INVALID_INPUT', `There is no subscription "${command.subscriptionId}".`);
      this.drop(command.subscriptionId);
    } else {
      const roomId = assertProductId(command.roomId);
      for (const [key, entry] of [...this.subs]) if (entry.roomId === roomId) this.drop(key);
    }
    return { ok: true };
  }

  private async send(principal: Principal, command: Extract<DecodedCommand, { type: 'send' }>, ordered?: () => void): Promise<Ack> {
    const roomId = assertProductId(command.roomId);
    const body = parseSendBody(command.body);
    const { message, duplicate } = await this.ctx.service.post(principal, roomId, body, ordered);
    this.ctx.hub.typingThrottle.reset(principal.userId, roomId);
    if (this.adapter.acksCarryResults) return { ok: true, message };
    // A retried send is not broadcast again; without an ack to carry it, the sender gets the stored message
    // on its own subscriptions of the room.
    if (duplicate) {
      const delivery: Delivery = { message, json: JSON.stringify(message) };
      for (const [key, entry] of this.subs) if (entry.roomId === roomId) this.deliverTo(key, delivery);
    }
    return { ok: true };
  }

  private drop(key: string): void {
    const entry = this.subs.get(key);
    this.subs.delete(key);
    if (entry?.hubSub) this.ctx.hub.unsubscribe(entry.hubSub);
  }

  /** An event of subscription `key` to the client, unless the connection ended (for {@link Entry}). */
  notify(key: string, event: SubscriptionEvent): void {
    if (!this.ended) this.adapter.event(key, event);
  }

  /** The hub ended subscription `entry` (for {@link Entry}): forgotten here, and the client told. */
  subscriptionEnded(entry: Entry, error: ErrorInfo): void {
    if (this.subs.get(entry.key) === entry) this.subs.delete(entry.key);
    this.notify(entry.key, { type: 'subscription-ended', roomId: entry.roomId, error });
  }

  /** A stored message of subscription `key`, unless the connection ended or its client is too slow (then cut). */
  deliverTo(key: string, delivery: Delivery): void {
    if (this.ended) return;
    const cut = slowConsumerCut(this.ctx, this.adapter.transport, this.adapter.bufferedBytes?.() ?? 0, this.user?.userId ?? null);
    if (cut) {
      // The goodbye waits behind the backlog; the socket goes after a grace either way.
      this.end(cut);
      setTimeout(() => this.adapter.terminate(), SLOW_CONSUMER_GRACE_MS);
      return;
    }
    this.adapter.deliver(key, delivery);
  }

  private logFailure(err: unknown): void {
    this.ctx.logger.log('error', `${this.adapter.transport} command failed`, { user: this.user?.userId ?? null, error: String(err) });
  }
}
