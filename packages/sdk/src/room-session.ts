import {
  ChatError,
  type ChatMessage,
  type ErrorInfo,
  type Invite,
  type Participant,
  type Room,
  type RoomStats,
  type Viewer,
} from '@groupbuy/protocol';
import { CatchUp } from './catch-up.js';
import { MessageList, type LocalMessage } from './message-list.js';
import { RoomRest } from './room-rest.js';
import type { UploadOptions, UploadedImage } from './attachments.js';
import type { SendOptions } from './sends.js';
import { Roster, type RosterUpdate } from './roster.js';
import { Sends } from './sends.js';
import { SessionLifecycle } from './session-state.js';
import { RoomActivity } from './room-activity.js';
import { EventedSession } from './session-events.js';
import { Moderation } from './moderation.js';
import { roomAfterMessage } from './room-after-message.js';
import { openRoom, refreshRoom, type OpeningParts } from './room-opening.js';
import { ShippingAddresses } from './address.js';
import { RoomInsights, joinBody, type JoinOptions } from './insights.js';
import type { SessionHost } from './session-host.js';
import type { ConnectionState, RoomSession, ViewMessage } from './types.js';

export type { SessionHost } from './session-host.js';

/**
 * The {@link RoomSession} implementation: one room's {@link SessionLifecycle} (load, subscribe, live, ended)
 * over its message list, its {@link Roster}, the {@link CatchUp} that keeps the list gap-free across
 * reconnects, the {@link Sends} that deliver the outbox in order, and (from {@link ModeratedSession}) the
 * room's {@link Moderation} and {@link ShippingAddresses}.
 */
export class Session extends EventedSession implements RoomSession, OpeningParts {
  /** @inheritdoc */
  room: Room | null = null;

  protected readonly lifecycle: SessionLifecycle;
  /** @internal (room-opening.ts) */
  readonly api: RoomRest;
  // Issue 12: the invite and stats calls.
  private readonly insights: RoomInsights;
  private readonly list = new MessageList();
  /** @internal (room-opening.ts) */
  readonly roster: Roster;
  /** @internal (room-opening.ts) */
  readonly catchUp: CatchUp;
  /** @internal (room-opening.ts) */
  readonly sends: Sends;
  protected readonly moderation: Moderation;
  /** @inheritdoc */
  readonly address: ShippingAddresses;
  // How many `client.room()` callers hold this session (two widgets of one product share it).
  private holders = 1;
  private messagesQueued = false;
  protected readonly activity: RoomActivity;

  constructor(
    private readonly host: SessionHost,
    /** @inheritdoc */
    readonly productId: string,
  ) {
    super();
    this.api = new RoomRest(host.rest, productId, (error) => this.fail(error));
    this.insights = new RoomInsights(this.api);
    this.activity = new RoomActivity({
      productId,
      emit: (type, payload) => this.events.emit(type, payload),
      live: () => this.lifecycle.live,
      command: (command) => this.host.command(command),
      read: (seq) => this.api.read(seq),
      userId: () => this.host.user?.userId,
      stored: () => this.list.view().filter((m): m is ViewMessage & { status: 'sent' } => m.status === 'sent'),
    });
    this.moderation = new Moderation({
      list: this.list,
      api: this.api,
      room: () => this.room,
      relations: () => this.roster.relations(this.host.user),
      userId: () => this.host.user?.userId,
      serverNowMs: () => Date.now() + this.serverTimeOffsetMs,
      endedWith: () => this.lifecycle.endedWith,
      roomChanged: (room) => this.applyRoom(room),
      emit: (type, payload) => this.events.emit(type, payload),
    });
    this.address = new ShippingAddresses(this.api);
    this.roster = new Roster({
      fetchParticipants: () => this.api.participants(),
      room: () => this.room,
      changed: (list) => {
        if (list === 'viewers') this.events.emit('viewers', this.roster.viewers);
        else {
          this.events.emit('participants', this.roster.participants);
          this.moderation.changed();
          this.sends.refuseWaiting();
        }
      },
    });
    this.catchUp = new CatchUp(this.list, {
      page: (query) => this.api.messages(query),
      ingest: (messages, live) => this.ingest(messages, live),
      ownUserId: () => this.host.user?.userId,
      restarted: (messages, gap) => {
        for (const m of messages) this.applyMessageToRoom(m);
        this.events.emit('discontinuity', gap);
        this.messagesChanged();
      },
      alive: () => !this.lifecycle.disposed,
    });
    this.sends = new Sends(this.list, {
      productId,
      user: () => this.host.user,
      now: () => new Date(Date.now() + this.serverTimeOffsetMs).toISOString(),
      createClientMsgId: () => this.host.createClientMsgId(),
      refusal: () => this.moderation.refusal(),
      live: () => this.lifecycle.live,
      command: (entry) => this.host.command({ type: 'send', roomId: this.productId, ...entry }),
      stored: (message) => this.ingest([message], true),
      unconfirmed: () => this.catchUp.fetchTail(),
      changed: () => this.messagesChanged(),
      failed: (error, clientMsgId) => this.fail(error, clientMsgId),
    });
    this.lifecycle = new SessionLifecycle({
      connectionOpen: () => this.host.live,
      load: () => openRoom(this),
      subscribe: () => this.host.command({ type: 'subscribe', roomId: this.productId, sinceSeq: this.catchUp.resumeSeq }),
      refresh: () => refreshRoom(this),
      subscribed: (room) => {
        this.applyRoom(room);
        this.catchUp.fillGap();
        this.sends.flush();
      },
      refused: (error) => this.fail(error),
      unsubscribe: () => void this.host.command({ type: 'unsubscribe', roomId: this.productId }).catch(() => {}),
    });
    this.lifecycle.load();
    this.userKnown();
  }

  /** @inheritdoc */
  get state(): ConnectionState {
    return this.host.state;
  }

  /** @inheritdoc */
  get serverTimeOffsetMs(): number {
    return this.api.serverTimeOffsetMs;
  }

  /** @inheritdoc */
  get hasOlder(): boolean {
    return this.catchUp.hasOlder;
  }

  /** @inheritdoc */
  get messages(): readonly ViewMessage[] {
    return this.list.view();
  }

  /** @inheritdoc */
  get participants(): readonly Participant[] {
    return this.roster.participants;
  }

  /** @inheritdoc */
  get viewers(): readonly Viewer[] {
    return this.roster.viewers;
  }

  /** @inheritdoc */
  get viewerCount(): number {
    return this.roster.viewerCount;
  }

  /** @inheritdoc */
  get isParticipant(): boolean {
    return this.roster.isParticipant(this.host.user);
  }

  /** @inheritdoc */
  get isHost(): boolean {
    return this.roster.isHost(this.host.user);
  }

  /** @inheritdoc */
  ready(): Promise<void> {
    // A load that failed while the connection stayed up (a REST hiccup) is tried again when asked.
    return this.lifecycle.ready();
  }

  /** @inheritdoc */
  loadOlder(): Promise<number> {
    return this.catchUp.older();
  }

  /** @inheritdoc */
  async join(options?: JoinOptions): Promise<void> {
    this.applyRoom(await this.api.join(joinBody(options)));
    await this.roster.refreshParticipants();
  }

  /** @inheritdoc */
  invite(): Promise<Invite> {
    return this.insights.invite();
  }

  /** @inheritdoc */
  stats(): Promise<RoomStats> {
    return this.insights.stats();
  }

  /** @inheritdoc */
  async leave(): Promise<void> {
    this.applyRoom(await this.api.leave());
    await this.roster.refreshParticipants();
  }

  /** @inheritdoc */
  send(content: string, options?: SendOptions): LocalMessage {
    if (this.lifecycle.disposed) throw new ChatError('INVALID_INPUT', 'This chat session was closed.');
    const local = this.sends.send(content, options);
    this.activity.sent();
    return local;
  }

  /** @inheritdoc */
  async upload(file: Blob, options?: UploadOptions): Promise<UploadedImage> {
    const { uploadImage } = await import('./attachments-upload.js');
    return uploadImage(this.host.rest.config, this.productId, file, options);
  }

  /** @inheritdoc */
  retry(clientMsgId: string): void {
    this.sends.retry(clientMsgId);
  }

  /** @inheritdoc */
  discard(clientMsgId: string): void {
    this.sends.discard(clientMsgId);
  }

  /** Another `client.room(productId)` caller shares this session; it stays until every one disposed it. */
  retain(): void {
    this.holders += 1;
  }

  /** @inheritdoc */
  dispose(): void {
    this.holders -= 1;
    if (this.holders <= 0) this.end();
  }

  /** Frees everything at once, whoever still holds the session (the client is closing). */
  end(): void {
    if (!this.lifecycle.dispose()) return;
    this.roster.close();
    this.moderation.close();
    this.activity.clear();
    this.sends.persist(); // what changed in this task (the page closing right after a send) is kept
    this.sends.close();
    this.events.clear();
    this.host.forget(this);
  }

  /**
   * The signed-in user is known (a token was read): the first time, the sends an earlier page left in the
   * persisted outbox come back, pending ahead of anything queued since, or failed as they were.
   */
  userKnown(): void {
    if (!this.lifecycle.disposed) this.sends.restore(this.host.outboxStorage, this.host.baseUrl);
  }

  /** The token was refused for good: say so (the state is already `'auth-required'`). */
  authRequired(error: ErrorInfo): void {
    if (!this.lifecycle.disposed) this.fail(error);
  }

  /** The client's connection state changed. */
  stateChanged(state: ConnectionState): void {
    this.events.emit('state', state);
  }

  /** A transport is open: (re)load, or re-read the room and resubscribe from the last contiguous seq. */
  connected(): void {
    // A first load that failed (the server was unreachable) is tried again; a load subscribes when done.
    this.lifecycle.connected();
  }

  /** The transport closed: the subscription is gone, and the room must be re-read on the next one. */
  disconnected(): void {
    this.lifecycle.disconnected();
  }

  protected subscriptionEnded(error: ErrorInfo): void {
    // Out of the room: the people in it are no longer this reader's to see.
    if (this.roster.clearViewers()) this.events.emit('viewers', this.roster.viewers);
    this.fail(error);
    this.sends.refuseWaiting(error);
  }

  protected replayTruncated(sinceSeq: number, lastSeq: number): void {
    void this.catchUp.restart(sinceSeq, lastSeq);
  }

  protected viewersPushed(viewers: readonly Viewer[], count: number): void {
    this.roster.setViewers(viewers, count);
  }

  protected ingest(messages: readonly ChatMessage[], live: boolean): number {
    const me = this.host.user?.userId;
    let added = 0;
    const updates: RosterUpdate[] = [];
    for (const message of messages) {
      this.sends.delivered(message);
      if (!this.list.insert(message, me)) continue;
      added += 1;
      this.moderation.ingested(message, live);
      if (!live) continue;
      this.applyMessageToRoom(message);
      this.activity.arrived(message);
      updates.push(this.roster.apply(message)); // a JOINED/LEFT, before the 'message' listeners look
      this.events.emit('message', message);
    }
    this.messagesChanged();
    this.roster.settle(updates);
    if (live) this.catchUp.fillGap();
    return added;
  }

  private applyMessageToRoom(message: ChatMessage): void {
    const next = this.room && roomAfterMessage(this.room, message);
    if (next?.snapshot) this.roomChanged(next.room);
    else if (next) this.room = next.room;
  }

  /** @internal True once the session was disposed (room-opening.ts). */
  disposed(): boolean {
    return this.lifecycle.disposed;
  }

  /** @internal Takes a REST or acknowledgement room unless the stream already brought something newer. */
  applyRoom(room: Room | undefined): void {
    if (!room || this.lifecycle.disposed || (this.room && room.lastSeq < this.room.lastSeq)) return;
    this.activity.fromServer(room);
    // A mute whose notice went out before this session existed (issue 11).
    if (room.mutedUntil !== undefined) this.moderation.notice({ kind: 'MUTED', until: room.mutedUntil });
    this.roomChanged(room);
  }

  private roomChanged(room: Room): void {
    this.room = room;
    this.events.emit('room', room);
    this.moderation.changed(); // slow mode, or the user's relation (host, buyer) may have changed
    this.sends.refuseWaiting();
  }

  fail(error: ErrorInfo, clientMsgId?: string): void {
    this.moderation.refused(error);
    this.events.emit('error', clientMsgId === undefined ? { ...error } : { ...error, clientMsgId });
  }

  /**
   * Emits `messages` and persists the outbox once per microtask, however many changes came in it: a burst
   * of sends is one storage write, not one read-and-rewrite of the whole outbox per send.
   */
  messagesChanged(): void {
    if (this.messagesQueued) return;
    this.messagesQueued = true;
    queueMicrotask(() => {
      this.messagesQueued = false;
      if (this.lifecycle.disposed) return;
      this.sends.persist();
      this.events.emit('messages', this.list.view());
    });
  }
}
