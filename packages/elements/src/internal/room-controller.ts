import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  toChatError,
  type ChatMessage,
  type ErrorInfo,
  type Participant,
  type PrivateNotice,
  type Room,
  type Viewer,
} from '@groupbuy/protocol';
import type { ChatClient, ConnectionState, RoomSession, ViewMessage } from '@groupbuy/sdk';
import { buildClient, type TransportName } from './client-factory.js';

/** What a widget gives the controller to find its room. */
export interface RoomHost extends ReactiveControllerHost, HTMLElement {
  /** The product (= room) id. */
  productId: string;
  /** Server base URL for a client the widget builds itself. */
  baseUrl: string | undefined;
  /** Realtime transport for a client the widget builds itself. */
  transport: TransportName;
  /** JWT for a client the widget builds itself. */
  token: string | undefined;
  /** Token source for a client the widget builds itself (wins over `token`). */
  tokenProvider: (() => string | Promise<string>) | undefined;
  /** A client handed in by the page. */
  client: ChatClient | undefined;
  /** A session handed in (a widget inside another). */
  session?: RoomSession | undefined;
}

const NO_MESSAGES: readonly ViewMessage[] = Object.freeze([]);
const NO_PARTICIPANTS: readonly Participant[] = Object.freeze([]);
const NO_VIEWERS: readonly Viewer[] = Object.freeze([]);

/** Where the widget is with its room. */
export type RoomPhase = 'idle' | 'signed-out' | 'loading' | 'ready' | 'error';

/** Reactions a widget wants beyond a re-render. */
export interface RoomHooks {
  /** The room snapshot changed. */
  room?(room: Room): void;
  /** A stored message arrived live. */
  message?(message: ChatMessage): void;
  /** An error worth showing. */
  error?(error: ErrorInfo & { clientMsgId?: string }): void;
  /** The connection state changed (also called once with the state a session starts in). */
  state?(state: ConnectionState): void;
  /** Something only this user is told (PII_MASKED, MUTED, UNMUTED): followed from the session's start. */
  notice?(notice: PrivateNotice): void;
}

/**
 * Finds a widget's {@link RoomSession} — handed in, from a handed-in client, or from a client the widget
 * builds from `base-url` + `token` — follows its events and re-renders the host. Only a client the widget
 * built is closed by it; a session it took from a handed-in client is disposed (released), and a handed-in
 * client or session otherwise belongs to the page.
 */
export class RoomController implements ReactiveController {
  /** The session, once there is one. */
  session: RoomSession | null = null;
  /** The client behind the session, when known. */
  client: ChatClient | null = null;
  /** Where loading stands. */
  phase: RoomPhase = 'idle';
  /** Why loading failed (`phase === 'error'`). */
  loadError: ErrorInfo | null = null;

  private key: unknown[] = [];
  private credentials: unknown[] = [];
  private ownedClient: ChatClient | null = null;
  private heldSession: RoomSession | null = null;
  private unsubscribers: Array<() => void> = [];
  private generation = 0;

  constructor(
    private readonly host: RoomHost,
    private readonly hooks: RoomHooks = {},
  ) {
    host.addController(this);
  }

  /**
   * True when the server refused the read (`FORBIDDEN`): a signed-in reader who is not in a deal that
   * ended. Nothing to retry; only the public feed is left to them.
   */
  get closedToReader(): boolean {
    return this.phase === 'error' && this.loadError?.code === 'FORBIDDEN';
  }

  /** The room snapshot, or null. */
  get room(): Room | null {
    return this.session?.room ?? null;
  }

  /** The messages, or none. */
  get messages(): readonly ViewMessage[] {
    return this.session?.messages ?? NO_MESSAGES;
  }

  /** The buyers, or none. */
  get participants(): readonly Participant[] {
    return this.session?.participants ?? NO_PARTICIPANTS;
  }

  /** Who has the chat open now, buyers included, or none. */
  get viewers(): readonly Viewer[] {
    return this.session?.viewers ?? NO_VIEWERS;
  }

  /** The listed viewers who are not buyers, in the order they opened the chat. */
  get watchers(): readonly Viewer[] {
    const buyers = new Set(this.participants.map((p) => p.userId));
    return this.viewers.filter((v) => !buyers.has(v.userId));
  }

  /**
   * How many watch without having joined: the listed watchers and every viewer past the list (the server lists
   * the first LIMITS.viewersListMax of a large room and counts the rest, without saying which of those bought).
   */
  get watcherCount(): number {
    const unlisted = (this.session?.viewerCount ?? 0) - this.viewers.length;
    return this.watchers.length + Math.max(0, unlisted);
  }

  /** The connection state (`connecting` before there is a session). */
  get state(): ConnectionState {
    return this.session?.state ?? 'connecting';
  }

  /** The signed-in user's id, when known. */
  get userId(): string | undefined {
    return this.client?.user?.userId;
  }

  /** True when `message` is the signed-in user's own. */
  isOwn(message: ViewMessage): boolean {
    if (message.status !== 'sent') return true;
    const me = this.userId;
    return me !== undefined && message.sender?.userId === me;
  }

  /** Finds the session when the widget is attached. */
  hostConnected(): void {
    this.sync(true);
  }

  /** Before each render: a changed product, client, token subject or transport means another session. */
  hostUpdate(): void {
    // An update that lands after the widget left the page (one that waited for a chunk) takes no session:
    // hostDisconnected let it go, and the page may have closed the client since. hostConnected syncs again.
    if (this.host.isConnected) this.sync(false);
  }

  /** Lets go of the session (and closes a client the widget built). */
  hostDisconnected(): void {
    this.teardown();
    this.key = [];
  }

  /** Drops the current session and starts over (after a load error). */
  reload(): void {
    this.sync(true);
  }

  private sync(force: boolean): void {
    const h = this.host;
    // A new token for the same user, or a new provider, keeps the client (getToken reads them when asked);
    // another user, product, server or transport means another client.
    const key = [h.productId, h.session, h.client, h.baseUrl, h.transport, tokenSubject(h.token), h.tokenProvider !== undefined];
    const credentials = [h.token, h.tokenProvider];
    if (!force && same(key, this.key)) {
      if (!same(credentials, this.credentials)) {
        this.credentials = credentials;
        // The page answered "sign in again" (or refreshed early while the connection is down): try now
        // with what it gave rather than wait for a backoff that auth-required has stopped.
        if (this.ownedClient && this.ownedClient.state !== 'open' && this.ownedClient.state !== 'closed') this.ownedClient.reconnect();
      }
      return;
    }
    this.key = key;
    this.credentials = credentials;
    this.teardown();
    if (h.session) {
      this.client = h.client ?? null;
      this.attach(h.session);
    } else if (!h.productId) {
      this.phase = 'idle';
    } else if (h.client) {
      this.client = h.client;
      // Ours to release: the page's client keeps the subscription only while someone holds the session.
      this.heldSession = h.client.room(h.productId);
      this.attach(this.heldSession);
    } else if (h.token || h.tokenProvider) {
      this.phase = 'loading';
      const generation = this.generation;
      const productId = h.productId;
      buildClient({
        baseUrl: h.baseUrl || location.origin,
        transport: h.transport,
        // Read on every (re)connect, so a page can refresh the token by setting the attribute again.
        getToken: () => (h.tokenProvider ? h.tokenProvider() : (h.token ?? '')),
      }).then(
        (client) => {
          if (generation !== this.generation) {
            client.close();
            return;
          }
          this.ownedClient = this.client = client;
          this.attach(client.room(productId));
        },
        (err: unknown) => {
          if (generation !== this.generation) return;
          this.phase = 'error';
          this.loadError = toChatError(err).toInfo();
          h.requestUpdate();
        },
      );
    } else {
      this.phase = 'signed-out';
    }
  }

  private attach(session: RoomSession): void {
    const generation = this.generation;
    this.session = session;
    this.phase = session.room ? 'ready' : 'loading';
    this.loadError = null;
    const update = (): void => this.host.requestUpdate();
    const recovered = (): void => {
      if (this.phase !== 'ready' && session.room) this.phase = 'ready';
    };
    this.unsubscribers = [
      session.on('room', (room) => {
        recovered();
        this.hooks.room?.(room);
        update();
      }),
      session.on('messages', () => {
        recovered();
        update();
      }),
      session.on('message', (m) => this.hooks.message?.(m)),
      session.on('notice', (n) => this.hooks.notice?.(n)),
      session.on('participants', update),
      session.on('viewers', update),
      session.on('typing', update),
      // The launcher's badge: a read on another device changes the count without a message.
      session.on('unread', update),
      session.on('state', (state) => {
        this.hooks.state?.(state);
        // Back after a load failed (e.g. the token was refused before anything loaded): load again.
        if (state === 'open' && this.phase === 'error') this.load(session, generation);
        update();
      }),
      session.on('error', (e) => {
        this.hooks.error?.(e);
        update();
      }),
    ];
    this.hooks.state?.(session.state);
    this.load(session, generation);
    update();
  }

  private load(session: RoomSession, generation: number): void {
    session.ready().then(
      () => {
        if (generation !== this.generation) return;
        this.phase = 'ready';
        this.loadError = null;
        if (session.room) this.hooks.room?.(session.room);
        this.host.requestUpdate();
      },
      (err: unknown) => {
        if (generation !== this.generation || session.room) return;
        this.phase = 'error';
        this.loadError = toChatError(err).toInfo();
        this.host.requestUpdate();
      },
    );
  }

  private teardown(): void {
    this.generation += 1;
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
    this.heldSession?.dispose();
    this.heldSession = null;
    this.ownedClient?.close();
    this.ownedClient = null;
    this.client = null;
    this.session = null;
    this.loadError = null;
  }
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The `sub` of a JWT, so a refreshed token for the same user does not rebuild the client. */
function tokenSubject(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : token;
  } catch {
    return token;
  }
}
