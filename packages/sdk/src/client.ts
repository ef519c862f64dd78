import {
  ChatError,
  assertProductId,
  isRestartNotice,
  type Ack,
  type ClientCommand,
  type ErrorInfo,
  type ServerEvent,
} from '@groupbuy/protocol';
import { Emitter } from './emitter.js';
import { defaultOutboxStorage } from './outbox-store.js';
import { browserPlatform } from './platform.js';
import { Reconnector } from './reconnect.js';
import { RestClient } from './rest.js';
import { Session, type SessionHost } from './room-session.js';
import { readTokenUser } from './token.js';
import type {
  ChatClient,
  ChatClientOptions,
  ConnectionState,
  CurrentUser,
  Listener,
  OutboxStorage,
  RoomSession,
  Transport,
  TransportCloseInfo,
} from './types.js';

/**
 * Creates the chat client. It connects when the first room is opened, and from then on owns the one
 * connection: reconnects with full-jitter backoff, asks `getToken()` on every attempt, and resubscribes
 * every room from its last contiguous seq. A token the server refuses is renewed through `getToken()` at
 * once; a second refusal in a row (or a `getToken()` that throws then) puts it in `'auth-required'`
 * until `reconnect()`.
 *
 * @example
 * const client = createChatClient({ baseUrl, getToken, transport: stompTransport() });
 * const room = client.room('p-123');
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  return new Client(options);
}

class Client implements ChatClient, SessionHost {
  state: ConnectionState = 'connecting';
  user: CurrentUser | null = null;
  live = false;
  readonly rest: RestClient;
  readonly outboxStorage: OutboxStorage;

  private readonly sessions = new Map<string, Session>();
  private readonly emitter = new Emitter<{ state: ConnectionState }>();
  // The one reconnect loop: attempt ids (a stale transport's callbacks are ignored), backoff, wake-ups.
  private readonly reconnector: Reconnector;
  private readonly ackTimeoutMs: number;
  private transport: Transport | undefined;
  private started = false;
  private wasOpen = false;
  private token: string | undefined;
  private tokenReading: Promise<string> | undefined;
  // Refusals of the token (UNAUTHENTICATED) since the server last acknowledged a command.
  private authRefusals = 0;

  constructor(private readonly options: ChatClientOptions) {
    this.reconnector = new Reconnector({
      initialDelayMs: options.reconnectInitialDelayMs ?? 500,
      maxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
      platform: options.platform ?? browserPlatform(),
      open: (attempt) => {
        this.dropTransport();
        this.setState(this.wasOpen ? 'reconnecting' : 'connecting');
        void this.open(attempt);
      },
      offline: () => this.offline(),
    });
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.rest = new RestClient({
      baseUrl: options.baseUrl,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      token: (fresh) => (fresh || this.token === undefined ? this.readToken() : Promise.resolve(this.token)),
      onRefused: (error) => {
        if (this.started) this.requireAuth(error);
      },
    });
    this.outboxStorage = options.outboxStorage ?? defaultOutboxStorage(options.baseUrl);
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  room(productId: string): RoomSession {
    if (this.state === 'closed') throw new ChatError('UNAVAILABLE', 'This chat client was closed.');
    assertProductId(productId);
    let session = this.sessions.get(productId);
    if (session) session.retain();
    else {
      session = new Session(this, productId);
      this.sessions.set(productId, session);
    }
    this.start();
    return session;
  }

  onState(listener: Listener<ConnectionState>): () => void {
    return this.emitter.on('state', listener);
  }

  reconnect(): void {
    if (this.state === 'closed') return;
    this.authRefusals = 0;
    this.token = undefined; // asked anew: the page has a new one
    this.reconnector.reset();
    if (this.started) this.reconnector.connect();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.reconnector.stop();
    this.dropTransport();
    for (const session of [...this.sessions.values()]) session.end();
    this.setState('closed');
  }

  command(command: ClientCommand): Promise<Ack> {
    const transport = this.transport;
    if (!transport || !this.live) {
      return Promise.reject(new ChatError('UNAVAILABLE', 'Not connected to the chat server.'));
    }
    const attempt = this.reconnector.current;
    return new Promise<Ack>((resolve, reject) => {
      // No acknowledgement in time: the connection is presumed dead (a half-open TCP connection never
      // closes by itself), so drop it and let the reconnect resend.
      const timer = setTimeout(() => {
        reject(new ChatError('UNAVAILABLE', 'The chat server did not answer in time.'));
        if (this.reconnector.isCurrent(attempt)) this.lost({ reason: `no acknowledgement in ${this.ackTimeoutMs} ms` });
      }, this.ackTimeoutMs);
      transport.send(command).then(
        (ack) => {
          clearTimeout(timer);
          // The backoff starts over only once the server answered: an open that fails at its first
          // command (the plain WebSocket transport opens without a round trip) keeps backing off.
          if (ack.ok && this.reconnector.isCurrent(attempt)) {
            this.reconnector.succeeded(attempt);
            this.authRefusals = 0;
          }
          resolve(ack);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  createClientMsgId(): string {
    return this.options.createClientMsgId?.() ?? globalThis.crypto.randomUUID();
  }

  forget(session: Session): void {
    if (this.sessions.get(session.productId) === session) this.sessions.delete(session.productId);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.reconnector.start();
  }

  /** Asks `getToken()`; calls made while one is running share its answer (it is just as fresh). */
  private readToken(): Promise<string> {
    this.tokenReading ??= (async () => {
      try {
        const token = await this.options.getToken();
        this.token = token;
        this.user = readTokenUser(token) ?? this.user;
        if (this.user) for (const session of [...this.sessions.values()]) session.userKnown();
        return token;
      } finally {
        this.tokenReading = undefined;
      }
    })();
    return this.tokenReading;
  }

  private async open(attempt: number): Promise<void> {
    let token: string;
    try {
      token = await this.readToken();
    } catch (err) {
      if (!this.reconnector.isCurrent(attempt)) return;
      // A provider that cannot answer now (its own backend unreachable) while the last token was never
      // refused: that one may still do. With none left, only the page (a new sign-in) can help.
      if (this.token === undefined) {
        this.requireAuth({ code: 'UNAUTHENTICATED', message: `No token: getToken() failed (${String(err)}).` });
        return;
      }
      token = this.token;
    }
    if (!this.reconnector.isCurrent(attempt)) return;
    let transport: Transport;
    try {
      transport = this.options.transport({ baseUrl: this.options.baseUrl, token });
    } catch (err) {
      if (this.reconnector.isCurrent(attempt)) this.lost({ reason: `no token or transport: ${String(err)}` });
      return;
    }
    this.transport = transport;
    transport.open({
      onOpen: () => {
        if (!this.reconnector.isCurrent(attempt)) return;
        this.live = true;
        this.wasOpen = true;
        this.setState('open');
        for (const session of [...this.sessions.values()]) session.connected();
      },
      onEvent: (event: ServerEvent) => {
        if (!this.reconnector.isCurrent(attempt)) return;
        if (event.type === 'error' && event.roomId === undefined) return;
        this.sessions.get(event.roomId ?? '')?.handle(event);
      },
      onClose: (info) => {
        if (this.reconnector.isCurrent(attempt)) this.lost(info);
      },
    });
  }

  /**
   * The connection ended (or never came up): every session loses its subscription, and the next attempt
   * waits for the backoff (after a server's restart notice only 0–250 ms). A refusal with UNAUTHENTICATED (expired, or the server's secret changed) is
   * followed at once by an attempt on a fresh `getToken()`; a second one in a row needs a new sign-in.
   */
  private lost(info: TransportCloseInfo): void {
    this.reconnector.halt();
    this.dropTransport();
    for (const session of [...this.sessions.values()]) session.disconnected();
    if (this.state === 'closed' || this.state === 'auth-required') return;
    if (info.error?.code === 'UNAUTHENTICATED') {
      this.token = undefined;
      this.authRefusals += 1;
      if (this.authRefusals > 1) this.requireAuth(info.error);
      else this.reconnector.connect(); // no backoff: waiting would not make the old token any better
      return;
    }
    this.setState(this.reconnector.online() ? (this.wasOpen ? 'reconnecting' : 'connecting') : 'offline');
    // A server going down for a restart or deploy: come back at once (to another instance behind the
    // load balancer), only spread over a quarter second; every other loss waits for the backoff.
    if (isRestartNotice(info.error)) this.reconnector.retrySoon();
    else this.reconnector.retry();
  }

  /**
   * The token is refused and no fresh one helps: stop reconnecting (a loop would only be refused again)
   * and say so; sends stay queued for `reconnect()`.
   */
  private requireAuth(error: ErrorInfo): void {
    if (this.state === 'closed' || this.state === 'auth-required') return;
    this.reconnector.halt();
    this.dropTransport();
    for (const session of [...this.sessions.values()]) session.disconnected();
    this.setState('auth-required');
    for (const session of [...this.sessions.values()]) session.authRequired(error);
  }

  private offline(): void {
    if (this.state === 'closed' || this.state === 'auth-required') return;
    if (this.transport) this.lost({ reason: 'the platform went offline' });
    this.setState('offline');
  }

  private dropTransport(): void {
    this.live = false;
    const transport = this.transport;
    this.transport = undefined;
    transport?.close();
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emitter.emit('state', state);
    for (const session of [...this.sessions.values()]) session.stateChanged(state);
  }
}
