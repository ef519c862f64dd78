import { ChatError, toChatError, type ErrorInfo, type Participant, type Room, type Viewer } from '@groupbuy/protocol';
import type { ChatClient, ConnectionState, OptimisticMessage, RoomSession, ViewMessage } from '@groupbuy/sdk';

/** Whether a room's snapshot and latest page are loaded: `loading`, `ready`, or `error` (see `loadError`). */
export type RoomLoadStatus = 'loading' | 'ready' | 'error';

/** What a room looks like to a component at one moment; a new object only when something changed. */
export interface RoomSnapshot {
  /** The product (= room) id this snapshot is about. */
  readonly productId: string;
  /** The room (status, counts, deadline), or null until loaded. */
  readonly room: Room | null;
  /** Stored messages ascending by seq, then this client's pending and failed sends. */
  readonly messages: readonly ViewMessage[];
  /** The buyers. */
  readonly participants: readonly Participant[];
  /** Who has the chat open right now (buyers and watchers): the first `LIMITS.viewersListMax` of them. */
  readonly viewers: readonly Viewer[];
  /** How many have the chat open right now, all of them (the list above is capped). */
  readonly viewerCount: number;
  /** The shared client's connection state. */
  readonly connection: ConnectionState;
  /** Whether the room is loaded. */
  readonly status: RoomLoadStatus;
  /** Why loading failed (`status: 'error'`: ROOM_NOT_FOUND, FORBIDDEN …), else null. */
  readonly loadError: ErrorInfo | null;
  /** The latest error worth showing (a failed send, a refused join …), or null. */
  readonly lastError: (ErrorInfo & { clientMsgId?: string }) | null;
  /** Older history exists beyond the loaded messages. */
  readonly hasOlder: boolean;
  /** The signed-in user is a buyer in this deal. */
  readonly isParticipant: boolean;
  /** The signed-in user is the seller. */
  readonly isHost: boolean;
}

const NONE: readonly never[] = Object.freeze([]);

/** The snapshot before a session is attached (also what a server render shows). */
export function emptySnapshot(productId: string, connection: ConnectionState): RoomSnapshot {
  return {
    productId,
    room: null,
    messages: NONE,
    participants: NONE,
    viewers: NONE,
    viewerCount: 0,
    connection,
    status: 'loading',
    loadError: null,
    lastError: null,
    hasOlder: false,
    isParticipant: false,
    isHost: false,
  };
}

/**
 * One room of one client as a `useSyncExternalStore` source. It holds the SDK session only while React
 * holds a subscription: the first `subscribe` calls `client.room()`, the last unsubscribe lets it go a
 * microtask later, so StrictMode's unmount-and-mount in one commit keeps the same server subscription
 * instead of unsubscribing and subscribing again. Each hook instance has its own store; the client's
 * reference-counted `room()` makes every store of one room share one session and one subscription.
 */
export class RoomStore {
  private session: RoomSession | null = null;
  private offs: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: RoomSnapshot;
  private readonly serverSnapshot: RoomSnapshot;
  private releasePending = false;

  constructor(
    private readonly client: ChatClient,
    /** The product (= room) id. */
    readonly productId: string,
  ) {
    this.snapshot = emptySnapshot(productId, client.state);
    this.serverSnapshot = emptySnapshot(productId, 'connecting');
  }

  /** For `useSyncExternalStore`: registers a listener; attaches the session on the first one. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.releasePending = false;
    if (!this.session) this.attach();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || this.releasePending) return;
      this.releasePending = true;
      queueMicrotask(() => {
        if (this.releasePending && this.listeners.size === 0) this.detach();
        this.releasePending = false;
      });
    };
  };

  /** For `useSyncExternalStore`: the current snapshot (the same object until something changed). */
  readonly getSnapshot = (): RoomSnapshot => this.snapshot;

  /** For `useSyncExternalStore` on the server and during hydration: nothing loaded, connecting. */
  readonly getServerSnapshot = (): RoomSnapshot => this.serverSnapshot;

  /** Sends optimistically (see `RoomSession.send`); throws ChatError INVALID_INPUT for empty or too long text. */
  readonly sendMessage = (content: string): OptimisticMessage => this.live().send(content);

  /** Joins the deal as a buyer; rejects with ChatError ROOM_FULL, ROOM_NOT_ACTIVE … */
  readonly join = (): Promise<void> => this.live().join();

  /** Leaves the deal (while it is ACTIVE). */
  readonly leave = (): Promise<void> => this.live().leave();

  /** Loads up to 50 older messages; resolves with how many were added. */
  readonly loadOlder = (): Promise<number> => this.live().loadOlder();

  /** Sends a failed message again under the same clientMsgId. */
  readonly retry = (clientMsgId: string): void => this.live().retry(clientMsgId);

  /** Drops a failed or queued message (from the persisted outbox too). */
  readonly discard = (clientMsgId: string): void => this.live().discard(clientMsgId);

  private live(): RoomSession {
    if (this.session) return this.session;
    // Actions exist from the first render, the session only once React subscribed (after mount).
    throw new ChatError('UNAVAILABLE', `The room ${this.productId} is not open yet: call this after the component mounted.`);
  }

  private attach(): void {
    const session = this.client.room(this.productId);
    this.session = session;
    const refresh = (): void => this.update({});
    this.offs = [
      session.on('room', refresh),
      session.on('messages', refresh),
      session.on('participants', refresh),
      session.on('viewers', refresh),
      session.on('state', refresh),
      session.on('error', (lastError) => this.update({ lastError })),
    ];
    // A session let go of before it loaded must not write into the one attached after it.
    session.ready().then(
      () => this.session === session && this.update({ status: 'ready', loadError: null }),
      (err: unknown) => this.session === session && this.update({ status: 'error', loadError: toChatError(err).toInfo() }),
    );
    this.update({});
  }

  private detach(): void {
    for (const off of this.offs) off();
    this.offs = [];
    this.session?.dispose();
    this.session = null;
  }

  // Rebuilds the snapshot from the session and tells React only when a field really changed: the SDK
  // hands out the same arrays until they change, so comparing by identity is enough.
  private update(patch: Partial<Pick<RoomSnapshot, 'status' | 'loadError' | 'lastError'>>): void {
    const session = this.session;
    if (!session) return;
    const prev = this.snapshot;
    const next: RoomSnapshot = {
      productId: this.productId,
      room: session.room,
      messages: session.messages,
      participants: session.participants,
      viewers: session.viewers,
      viewerCount: session.viewerCount,
      connection: session.state,
      status: patch.status ?? prev.status,
      loadError: patch.loadError !== undefined ? patch.loadError : prev.loadError,
      lastError: patch.lastError !== undefined ? patch.lastError : prev.lastError,
      hasOlder: session.hasOlder,
      isParticipant: session.isParticipant,
      isHost: session.isHost,
    };
    if (sameSnapshot(prev, next)) return;
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}

function sameSnapshot(a: RoomSnapshot, b: RoomSnapshot): boolean {
  for (const key of Object.keys(a) as Array<keyof RoomSnapshot>) if (a[key] !== b[key]) return false;
  return true;
}
