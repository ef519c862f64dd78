import {
  ChatError,
  ROOM_ENDING_CODES,
  LIMITS,
  normalizeContent,
  toChatError,
  type Ack,
  type ChatMessage,
  type ClientCommand,
  type ErrorInfo,
  type MessagePage,
  type Participant,
  type Room,
  type ServerEvent,
  type Viewer,
  type ViewerList,
} from '@groupbuy/protocol';
import { coalesce } from './coalesce.js';
import { Emitter } from './emitter.js';
import { MessageList, type LocalMessage } from './message-list.js';
import { Outbox, type Delivery, type OutboxEntry } from './outbox.js';
import { OutboxStore, outboxKey, type StoredSend } from './outbox-store.js';
import type { RestClient } from './rest.js';
import type {
  ConnectionState,
  CurrentUser,
  Listener,
  OutboxStorage,
  RoomSession,
  RoomSessionEvents,
  ViewMessage,
} from './types.js';

/** What a session needs from the client that owns the connection. */
export interface SessionHost {
  /** The connection state. */
  readonly state: ConnectionState;
  /** The signed-in user, once known. */
  readonly user: CurrentUser | null;
  /** True while a transport is open and commands can be sent. */
  readonly live: boolean;
  /** REST calls with the client's token. */
  readonly rest: RestClient;
  /** The server's base URL (part of the persisted outbox's key). */
  readonly baseUrl: string;
  /** Where waiting sends are persisted. */
  readonly outboxStorage: OutboxStorage;
  /** Sends a command on the open transport; rejects when there is none or it drops. */
  command(command: ClientCommand): Promise<Ack>;
  /** Makes a client message id. */
  createClientMsgId(): string;
  /** The session was disposed: forget it. */
  forget(session: Session): void;
}

/** How often the viewer list is re-read while subscribed, in ms: opening a chat sends no event to others. */
export const VIEWERS_REFRESH_MS = 20_000;

/** How long to wait before subscribing again after a refusal that is not final, in ms. */
const RESUBSCRIBE_DELAY_MS = 3_000;

/** The Room in a REST answer (rooms, join, leave answer the bare Room), or undefined for anything else. */
function roomOf(body: unknown): Room | undefined {
  return typeof body === 'object' && body !== null && typeof (body as Partial<Room>).productId === 'string' ? (body as Room) : undefined;
}

/**
 * The {@link RoomSession} implementation: keeps one room's state, resubscribes after every reconnect
 * from its last contiguous seq, fills gaps through REST and delivers the outbox in order.
 */
export class Session implements RoomSession {
  /** @inheritdoc */
  room: Room | null = null;
  /** @inheritdoc */
  serverTimeOffsetMs = 0;
  /** @inheritdoc */
  participants: readonly Participant[] = [];
  /** @inheritdoc */
  hasOlder = false;
  /** @inheritdoc */
  viewers: readonly Viewer[] = [];

  private readonly list = new MessageList();
  private readonly events = new Emitter<RoomSessionEvents>();
  private readonly outbox = new Outbox(
    (entry) => this.deliver(entry),
    (entry, result) => this.settled(entry, result),
  );
  private loading: Promise<void> = Promise.resolve();
  private loadInFlight = false;
  private loaded = false;
  private participantsLoaded = false;
  private subscribed = false;
  private subscription = 0;
  private needsRefresh = false;
  private ended: ErrorInfo | undefined;
  private disposed = false;
  private catchingUp = false;
  private reloading = false;
  private olderLoading: Promise<number> | undefined;
  private viewersTimer: ReturnType<typeof setInterval> | undefined;
  private resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  // Seq of the newest join/leave reflected in `participants`.
  private participantsSeq = 0;
  // How many `client.room()` callers hold this session (two widgets of one product share it).
  private holders = 1;
  private messagesQueued = false;
  // The persisted outbox, once the user is known (its key names them).
  private store: OutboxStore | undefined;
  // Every clientMsgId this session has had a local copy of: only those are its to rewrite in storage.
  private readonly known = new Set<string>();
  private persistedVersion = -1;

  constructor(
    private readonly host: SessionHost,
    /** @inheritdoc */
    readonly productId: string,
  ) {
    this.startLoad();
    this.userKnown();
  }

  /** @inheritdoc */
  get state(): ConnectionState {
    return this.host.state;
  }

  /** @inheritdoc */
  get messages(): readonly ViewMessage[] {
    return this.list.view();
  }

  /** @inheritdoc */
  get isParticipant(): boolean {
    const user = this.host.user;
    return user !== null && this.participants.some((p) => p.userId === user.userId);
  }

  /** @inheritdoc */
  get isHost(): boolean {
    const user = this.host.user;
    return user !== null && this.room !== null && this.room.hostId === user.userId;
  }

  /** @inheritdoc */
  ready(): Promise<void> {
    // A load that failed while the connection stayed up (a REST hiccup) is tried again when asked.
    if (!this.loaded && !this.loadInFlight && !this.disposed) this.startLoad();
    return this.loading;
  }

  /** @inheritdoc */
  on<K extends keyof RoomSessionEvents>(type: K, listener: Listener<RoomSessionEvents[K]>): () => void {
    return this.events.on(type, listener);
  }

  /** @inheritdoc */
  loadOlder(): Promise<number> {
    this.olderLoading ??= this.fetchOlder().finally(() => {
      this.olderLoading = undefined;
    });
    return this.olderLoading;
  }

  /** @inheritdoc */
  async join(): Promise<void> {
    const { body } = await this.call('POST', `/participants`);
    this.applyRoom(roomOf(body));
    await this.refreshParticipants();
  }

  /** @inheritdoc */
  async leave(): Promise<void> {
    const { body } = await this.call('DELETE', `/participants/me`);
    this.applyRoom(roomOf(body));
    await this.refreshParticipants();
  }

  /** @inheritdoc */
  send(content: string): LocalMessage {
    if (this.disposed) throw new ChatError('INVALID_INPUT', 'This chat session was closed.');
    const text = normalizeContent(content);
    const clientMsgId = this.host.createClientMsgId();
    const user = this.host.user;
    const local: LocalMessage = {
      id: clientMsgId,
      clientMsgId,
      roomId: this.productId,
      type: 'CHAT',
      sender: user ? { userId: user.userId, name: user.name } : null,
      content: text,
      createdAt: new Date(Date.now() + this.serverTimeOffsetMs).toISOString(),
      status: 'pending',
    };
    this.list.putLocal(local);
    this.queue({ clientMsgId, content: text });
    return local;
  }

  /** @inheritdoc */
  retry(clientMsgId: string): void {
    const local = this.list.getLocal(clientMsgId);
    if (!local || local.status !== 'failed' || this.disposed) return;
    this.list.putLocal({ ...local, status: 'pending', error: undefined });
    this.queue({ clientMsgId, content: local.content });
  }

  /** @inheritdoc */
  discard(clientMsgId: string): void {
    // One in flight may already be stored; it stays until its acknowledgement says how it went.
    if (this.outbox.isInflight(clientMsgId)) return;
    this.outbox.remove(clientMsgId);
    if (this.list.removeLocal(clientMsgId)) this.messagesChanged();
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
    if (this.disposed) return;
    this.disposed = true;
    if (this.subscribed && this.host.live) {
      this.host.command({ type: 'unsubscribe', roomId: this.productId }).catch(() => {});
    }
    this.subscribed = false;
    clearInterval(this.viewersTimer);
    clearTimeout(this.resubscribeTimer);
    this.events.clear();
    this.host.forget(this);
  }

  /**
   * The signed-in user is known (a token was read): the first time, the sends an earlier page left in the
   * persisted outbox come back, pending ahead of anything queued since, or failed as they were.
   */
  userKnown(): void {
    const user = this.host.user;
    if (this.store || this.disposed || !user) return;
    this.store = new OutboxStore(this.host.outboxStorage, outboxKey(this.host.baseUrl, user.userId, this.productId));
    const since = this.list.locals();
    const waiting: OutboxEntry[] = [];
    for (const entry of this.store.read()) {
      if (this.list.getLocal(entry.clientMsgId)) continue;
      this.known.add(entry.clientMsgId);
      const base = {
        id: entry.clientMsgId,
        clientMsgId: entry.clientMsgId,
        roomId: this.productId,
        type: 'CHAT' as const,
        sender: { userId: user.userId, name: user.name },
        content: entry.content,
        createdAt: entry.createdAt,
      };
      if (entry.error) this.list.putLocal({ ...base, status: 'failed', error: entry.error });
      else {
        this.list.putLocal({ ...base, status: 'pending' });
        waiting.push({ clientMsgId: entry.clientMsgId, content: entry.content });
      }
    }
    for (const local of since) this.list.putLocal(local); // made on this page: after the earlier ones
    this.outbox.restore(waiting);
    this.messagesChanged();
    this.refuseWaiting();
    if (this.subscribed) void this.outbox.flush();
  }

  /** The token was refused for good: say so (the state is already `'auth-required'`). */
  authRequired(error: ErrorInfo): void {
    if (!this.disposed) this.fail(error);
  }

  /** The client's connection state changed. */
  stateChanged(state: ConnectionState): void {
    this.events.emit('state', state);
  }

  /** A transport is open: (re)load, re-read the room, resubscribe from the last contiguous seq. */
  connected(): void {
    if (this.disposed) return;
    if (!this.loaded) {
      // The first load failed (the server was unreachable): try again; a load subscribes when it is done.
      if (!this.loadInFlight) this.startLoad();
      return;
    }
    void this.subscribe();
  }

  /** The transport closed: the subscription is gone, and the room must be re-read on the next one. */
  disconnected(): void {
    this.subscribed = false;
    this.subscription += 1;
    this.needsRefresh = true;
  }

  /** A server event for this room. */
  handle(event: ServerEvent): void {
    if (this.disposed || !this.loaded) return;
    switch (event.type) {
      case 'message':
        this.ingest([event.message], true);
        break;
      case 'replay-truncated':
        void this.restart(event.sinceSeq, event.lastSeq);
        break;
      case 'subscription-ended':
        this.ended = event.error;
        this.subscribed = false;
        // Out of the room: the people in it are no longer this reader's to see.
        if (this.viewers.length > 0) {
          this.viewers = Object.freeze([]);
          this.events.emit('viewers', this.viewers);
        }
        this.fail(event.error);
        this.outbox.refuseWaiting(() => event.error);
        break;
      case 'error':
        this.fail(event.error, event.clientMsgId);
        break;
    }
  }

  private startLoad(): void {
    this.loadInFlight = true;
    this.loading = this.load().finally(() => {
      this.loadInFlight = false;
    });
    this.loading.catch(() => {}); // reported as an 'error' event; ready() hands it to whoever asks
  }

  private async load(): Promise<void> {
    try {
      const [roomRes, pageRes] = await Promise.all([
        this.call('GET', ''),
        this.call<MessagePage>('GET', `/messages?limit=${LIMITS.historyPageDefault}`),
        this.refreshParticipants(),
      ]);
      if (this.disposed) return;
      this.applyRoom(roomOf(roomRes.body));
      this.list.restartFrom(pageRes.body.messages, this.host.user?.userId);
      // A restored send an earlier page did deliver (its acknowledgement lost) is in the page: done.
      for (const id of this.outbox.ids()) if (!this.list.getLocal(id)) this.outbox.remove(id);
      this.hasOlder = pageRes.body.hasMore;
      this.loaded = true;
      this.messagesChanged();
      if (this.host.live) void this.subscribe();
    } catch (err) {
      const error = toChatError(err);
      const info = error.toInfo();
      this.fail(info);
      // The room is not this user's to write in (a watcher of a deal that ended, or no such room): what
      // waits for it, restored from an earlier page included, fails now instead of waiting for ever.
      if (ROOM_ENDING_CODES.has(error.code)) this.outbox.refuseWaiting(() => info);
      throw error;
    }
  }

  private async subscribe(): Promise<void> {
    if (this.ended || this.disposed || !this.loaded || !this.host.live) return;
    const id = ++this.subscription;
    this.subscribed = false;
    const refresh = this.needsRefresh ? this.refresh() : undefined;
    this.needsRefresh = false;
    let ack: Ack;
    try {
      [ack] = await Promise.all([
        this.host.command({ type: 'subscribe', roomId: this.productId, sinceSeq: this.list.contiguousSeq }),
        refresh,
      ]);
    } catch {
      return; // the connection dropped; the next one resubscribes
    }
    if (id !== this.subscription || this.disposed) return;
    if (!ack.ok) {
      this.fail(ack.error);
      if (ROOM_ENDING_CODES.has(ack.error.code)) {
        this.ended = ack.error;
        return;
      }
      // Not final (rate limited, the server busy or refusing for now): try again rather than sit
      // "open" with no live feed and sends that never leave the outbox.
      clearTimeout(this.resubscribeTimer);
      this.resubscribeTimer = setTimeout(() => void this.subscribe(), ack.error.retryAfterMs ?? RESUBSCRIBE_DELAY_MS);
      (this.resubscribeTimer as { unref?: () => void }).unref?.();
      return;
    }
    this.applyRoom(ack.room);
    this.subscribed = true;
    void this.refreshViewers();
    if (this.viewersTimer === undefined) {
      this.viewersTimer = setInterval(() => {
        if (this.subscribed && this.host.live) void this.refreshViewers();
      }, VIEWERS_REFRESH_MS);
      (this.viewersTimer as { unref?: () => void }).unref?.();
    }
    if (this.list.hasGap) void this.catchUp(false);
    void this.outbox.flush();
  }

  private async refresh(): Promise<void> {
    try {
      const [roomRes] = await Promise.all([this.call('GET', ''), this.refreshParticipants()]);
      this.applyRoom(roomOf(roomRes.body));
    } catch {
      // Reported by call(); the stream's SYSTEM messages keep the room right meanwhile.
    }
  }

  private readonly refreshParticipants = coalesce(async () => {
    const { body } = await this.call<{ participants: Participant[] }>('GET', '/participants');
    if (this.disposed) return;
    this.participants = Object.freeze([...body.participants]);
    this.participantsLoaded = true;
    // The list read includes every join and leave stored so far; later SYSTEM messages apply on top.
    this.participantsSeq = Math.max(this.participantsSeq, this.room?.lastSeq ?? 0);
    this.events.emit('participants', this.participants);
    this.refuseWaiting();
  });

  private readonly refreshViewers = coalesce(async () => {
    const { body } = await this.call<ViewerList>('GET', '/viewers');
    if (this.disposed) return;
    this.viewers = Object.freeze([...body.viewers]);
    this.events.emit('viewers', this.viewers);
  });

  /** Adds stored messages; `live` ones (stream, gap fills) update the room and fire `message`. */
  private ingest(messages: readonly ChatMessage[], live: boolean): number {
    const me = this.host.user?.userId;
    let added = 0;
    let participantsChanged = false;
    let participantsStale = false;
    for (const message of messages) {
      if (message.clientMsgId !== undefined && (me === undefined || message.sender?.userId === me)) {
        this.outbox.remove(message.clientMsgId);
      }
      if (!this.list.insert(message, me)) continue;
      added += 1;
      if (!live) continue;
      this.applyMessageToRoom(message);
      const type = message.event?.type;
      if (type === 'JOINED' || type === 'LEFT') {
        // The SYSTEM message says who joined or left: apply it here instead of every open client
        // re-reading the list over REST on every join of a busy deal. Out of order → read it again.
        if (this.participantsLoaded && message.seq > this.participantsSeq) {
          this.applyMembership(message);
          participantsChanged = true;
        } else participantsStale = true;
      }
      this.events.emit('message', message);
    }
    this.messagesChanged();
    if (participantsChanged) {
      this.events.emit('participants', this.participants);
      this.refuseWaiting();
    }
    if (participantsStale) void this.refreshParticipants();
    // Opening a chat sends nobody an event; a join or leave is the cheap moment to look again (one
    // in-memory read on the server, coalesced here), between the 20 s polls.
    if (participantsChanged || participantsStale) void this.refreshViewers();
    if (live && this.list.hasGap) void this.catchUp(false);
    return added;
  }

  private applyMembership(message: ChatMessage): void {
    const event = message.event;
    if (!event?.userId) return;
    const others = this.participants.filter((p) => p.userId !== event.userId);
    this.participants = Object.freeze(
      event.type === 'JOINED' ? [...others, { userId: event.userId, name: event.name ?? event.userId, joinedAt: message.createdAt }] : others,
    );
    this.participantsSeq = message.seq;
  }

  private applyMessageToRoom(message: ChatMessage): void {
    const room = this.room;
    if (!room || message.seq <= room.lastSeq) return;
    const snapshot = message.type === 'SYSTEM' ? message.room : undefined;
    if (!snapshot) {
      this.room = { ...room, lastSeq: message.seq };
      return;
    }
    const closedAt = snapshot.status === 'ACTIVE' ? null : (room.closedAt ?? message.createdAt);
    this.room = { ...room, ...snapshot, closedAt, lastSeq: message.seq };
    this.events.emit('room', this.room);
    this.refuseWaiting();
  }

  /** Takes a REST or acknowledgement room unless the stream already brought something newer. */
  private applyRoom(room: Room | undefined): void {
    if (!room || this.disposed || (this.room && room.lastSeq < this.room.lastSeq)) return;
    this.room = room;
    this.events.emit('room', room);
    this.refuseWaiting();
  }

  /** Fetches what lies between the last contiguous seq and newer loaded messages (or, when forced, the tail). */
  private async catchUp(force: boolean): Promise<void> {
    if (this.catchingUp || this.reloading || this.disposed) return;
    this.catchingUp = true;
    try {
      while (force || this.list.hasGap) {
        force = false;
        const { body } = await this.call<MessagePage>(
          'GET',
          `/messages?after=${this.list.contiguousSeq}&limit=${LIMITS.historyPageMax}`,
        );
        if (this.disposed) return;
        const added = this.ingest(body.messages, true);
        if (added === 0 || !body.hasMore) break;
      }
    } catch {
      // Reported by call(); the next reconnect resumes from the contiguous seq anyway.
    } finally {
      this.catchingUp = false;
    }
  }

  /** The server could not replay what was missed: start over from the latest page, and say so. */
  private async restart(sinceSeq: number, lastSeq: number): Promise<void> {
    this.reloading = true;
    try {
      const { body } = await this.call<MessagePage>('GET', `/messages?limit=${LIMITS.historyPageDefault}`);
      if (this.disposed) return;
      this.list.restartFrom(body.messages, this.host.user?.userId);
      this.hasOlder = body.hasMore;
      for (const m of body.messages) this.applyMessageToRoom(m);
      this.events.emit('discontinuity', { sinceSeq, lastSeq });
      this.messagesChanged();
    } catch {
      // Reported by call(); the next reconnect asks for the replay again.
    } finally {
      this.reloading = false;
    }
    if (this.list.hasGap) void this.catchUp(false);
  }

  private async fetchOlder(): Promise<number> {
    const oldest = this.list.oldestSeq;
    if (!this.hasOlder || oldest === undefined) return 0;
    const { body } = await this.call<MessagePage>(
      'GET',
      `/messages?before=${oldest}&limit=${LIMITS.historyPageDefault}`,
    );
    this.hasOlder = body.hasMore;
    return this.ingest(body.messages, false);
  }

  private queue(entry: OutboxEntry): void {
    this.messagesChanged();
    const refusal = this.refusal();
    if (refusal) {
      this.settled(entry, { outcome: 'failed', error: refusal });
      return;
    }
    this.outbox.enqueue(entry);
    if (this.subscribed) void this.outbox.flush();
  }

  /** Why a send would be refused now, when the client can tell without asking. */
  private refusal(): ErrorInfo | undefined {
    const room = this.room;
    if (room?.status === 'CANCELLED') {
      return { code: 'ROOM_NOT_ACTIVE', message: 'This deal was cancelled; its chat is read-only.' };
    }
    if (room?.status === 'CLOSED' && this.participantsLoaded && !this.isParticipant && !this.isHost) {
      return { code: 'FORBIDDEN', message: 'This deal is closed; only its buyers and the seller can chat.' };
    }
    return this.ended;
  }

  private refuseWaiting(): void {
    const refusal = this.refusal();
    if (refusal) this.outbox.refuseWaiting(() => refusal);
  }

  private async deliver(entry: OutboxEntry): Promise<Delivery> {
    const refusal = this.refusal();
    if (refusal) return { outcome: 'failed', error: refusal };
    if (!this.subscribed || this.disposed) return { outcome: 'retry' };
    let ack: Ack;
    try {
      ack = await this.host.command({ type: 'send', roomId: this.productId, ...entry });
    } catch {
      return { outcome: 'retry' }; // no answer: resent with the same clientMsgId, stored once
    }
    if (!ack.ok) return { outcome: 'failed', error: ack.error };
    if (ack.message) this.ingest([ack.message], true);
    // Acknowledged but the stored copy has not come by (STOMP acknowledges with a bare RECEIPT): fetch it.
    else if (this.list.getLocal(entry.clientMsgId)) void this.catchUp(true);
    return { outcome: 'sent' };
  }

  private settled(entry: OutboxEntry, result: Exclude<Delivery, { outcome: 'retry' }>): void {
    if (result.outcome !== 'failed') return;
    const local = this.list.getLocal(entry.clientMsgId);
    if (local) {
      this.list.putLocal({ ...local, status: 'failed', error: result.error });
      this.messagesChanged();
    }
    this.fail(result.error, entry.clientMsgId);
  }

  private fail(error: ErrorInfo, clientMsgId?: string): void {
    this.events.emit('error', clientMsgId === undefined ? { ...error } : { ...error, clientMsgId });
  }

  /** REST under `/api/chat/rooms/{productId}`; records the clock offset and reports failures. */
  private async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string) {
    try {
      const res = await this.host.rest.request<T>(method, `/rooms/${encodeURIComponent(this.productId)}${path}`);
      if (res.serverTimeOffsetMs !== undefined) this.serverTimeOffsetMs = res.serverTimeOffsetMs;
      return res;
    } catch (err) {
      const error = toChatError(err);
      if (method !== 'GET') this.fail(error.toInfo());
      throw error;
    }
  }

  /** Writes the local copies to the persisted outbox when they changed since the last write. */
  private persist(): void {
    if (!this.store || this.disposed || this.list.localVersion === this.persistedVersion) return;
    this.persistedVersion = this.list.localVersion;
    const mine: StoredSend[] = this.list.locals().map((m) => {
      this.known.add(m.clientMsgId);
      const send: StoredSend = { clientMsgId: m.clientMsgId, content: m.content, createdAt: m.createdAt };
      if (m.status === 'failed' && m.error) send.error = { code: m.error.code, message: m.error.message };
      return send;
    });
    this.store.write(mine, this.known);
  }

  /** Emits `messages` once per microtask, however many arrived in it (and persists the outbox at once). */
  private messagesChanged(): void {
    this.persist();
    if (this.messagesQueued) return;
    this.messagesQueued = true;
    queueMicrotask(() => {
      this.messagesQueued = false;
      if (!this.disposed) this.events.emit('messages', this.list.view());
    });
  }
}
