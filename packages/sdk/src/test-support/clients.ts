import WebSocket from 'ws';
import { ChatError, type Ack, type ServerEvent } from '@groupbuy/protocol';
import { createChatClient } from '../client.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { devToken, fetchFor, startInProcessServer, startTestServer, waitFor, type TestServer } from './server.js';
import { socketIoTransport } from '../transports/socket-io.js';
import { stompTransport } from '../transports/stomp.js';
import { wsTransport } from '../transports/ws.js';
import type { WebSocketLike } from '../transports/shared.js';
import type { InProcessServer } from '@groupbuy/testing';
import type {
  ChatClient,
  ChatClientOptions,
  ClientCommand,
  RoomSession,
  Transport,
  TransportCallbacks,
  TransportCloseInfo,
  TransportFactory,
  ViewMessage,
} from '../types.js';

const NodeWebSocket = WebSocket as unknown as WebSocketLike;

/** One entry of {@link TRANSPORTS}. */
export interface SuiteTransport {
  /** The name the suite's describe block shows. */
  name: string;
  /** True for the in-process transport, whose server is the real core in this process (no socket, nothing to kill). */
  inProcess?: boolean;
  /** A transport factory for `env`, the server of the describe block (only the in-process one needs it). */
  factory: (env?: SuiteServer) => TransportFactory;
}

/**
 * The realtime transports the conformance suite runs against: three with real Node peers over a listening
 * server, and the in-process one (@groupbuy/testing: the SDK on a ConnectionSession of the real core, what
 * Storybook and the element tests run on), so a behaviour it gets wrong fails the same scenario here.
 */
export const TRANSPORTS: ReadonlyArray<SuiteTransport> = [
  { name: 'stomp', factory: () => stompTransport({ WebSocket: NodeWebSocket }) },
  { name: 'socket.io', factory: () => socketIoTransport() },
  { name: 'ws', factory: () => wsTransport({ WebSocket: NodeWebSocket }) },
  {
    name: 'in-process',
    inProcess: true,
    factory: (env) => {
      const server = env?.inProcess;
      if (!server) throw new Error('the in-process transport needs the in-process server of useTestServer({ inProcess: true })');
      return server.transport;
    },
  },
];

/**
 * The network between clients and the server, which a test can unplug: while down, every connection
 * attempt fails as an unreachable host would. A fake of what we do not own; the transports stay real.
 */
export class Network {
  /** False while unplugged. */
  up = true;

  /** Unplugs the network and cuts every open connection; resolves once `session` noticed. */
  async unplug(server: { dropConnections(): void }, session: RoomSession): Promise<void> {
    this.up = false;
    server.dropConnections();
    await waitFor('the client to notice it is offline', () => session.state !== 'open');
  }

  /** `factory`, behind this network. */
  wrap(factory: TransportFactory): TransportFactory {
    return (context) => (this.up ? factory(context) : unreachable());
  }
}

function unreachable(): Transport {
  let closed = false;
  return {
    name: 'ws',
    open(callbacks) {
      setTimeout(() => {
        if (!closed) callbacks.onClose({ reason: 'network unplugged' });
      }, 0);
    },
    send: () => Promise.reject(new ChatError('UNAVAILABLE', 'network unplugged')),
    close() {
      closed = true;
    },
  };
}

/** What a test may change about a transport: its callbacks on the way in, its commands on the way out. */
interface Tap {
  /** Wraps the callbacks the core gave to `open`. */
  callbacks?: (callbacks: TransportCallbacks) => TransportCallbacks;
  /** Replaces `send`; gets the real one. */
  send?: (command: ClientCommand, send: (command: ClientCommand) => Promise<Ack>) => Promise<Ack>;
}

/** `factory` with a fresh {@link Tap} (from `tap()`) on every connection it makes. */
function tapped(factory: TransportFactory, tap: () => Tap): TransportFactory {
  return (context) => {
    const inner = factory(context);
    const { callbacks = (c) => c, send = (command, real) => real(command) } = tap();
    return {
      name: inner.name,
      open: (cbs) => inner.open(callbacks(cbs)),
      send: (command) => send(command, (c) => inner.send(c)),
      close: () => inner.close(),
    };
  };
}

/**
 * `factory` with everything about the next chat send lost on its way back: the server stores the message,
 * but neither its acknowledgement nor its broadcast copy reaches the client before `cut()` drops the
 * connection. The client learns of it only from the replay after it reconnects (or by resending).
 */
export function losingNextAck(factory: TransportFactory, cut: () => void): TransportFactory {
  let armed = true;
  return tapped(factory, () => {
    let lost: string | undefined; // only on this connection: the replay after the reconnect brings it
    return {
      callbacks: (callbacks) => ({
        ...callbacks,
        onEvent: (event) => {
          if (event.type !== 'message' || event.message.clientMsgId !== lost) callbacks.onEvent(event);
        },
      }),
      send: async (command, send) => {
        if (command.type !== 'send' || !armed) return send(command);
        armed = false;
        lost = command.clientMsgId;
        await send(command);
        cut();
        throw new ChatError('UNAVAILABLE', 'acknowledgement lost');
      },
    };
  });
}

/** `factory`, recording why each of its connections closed. */
export function recordingCloses(factory: TransportFactory): { factory: TransportFactory; closes: TransportCloseInfo[] } {
  const closes: TransportCloseInfo[] = [];
  const record = (callbacks: TransportCallbacks): TransportCallbacks => ({
    ...callbacks,
    onClose: (info) => {
      closes.push(info);
      callbacks.onClose(info);
    },
  });
  return { closes, factory: tapped(factory, () => ({ callbacks: record })) };
}

/** `factory`, counting its connection attempts (each call of a factory is one). */
export function countingAttempts(factory: TransportFactory): { factory: TransportFactory; attempts: () => number } {
  let attempts = 0;
  return {
    attempts: () => attempts,
    factory: (context) => {
      attempts += 1;
      return factory(context);
    },
  };
}

/** Every client a test made, closed after it. */
export const openClients: ChatClient[] = [];

/** A client for `baseUrl` with quick reconnects (tests wait for conditions, so short delays only save time). */
export function testClient(
  options: Pick<ChatClientOptions, 'baseUrl' | 'getToken' | 'transport'> & Partial<ChatClientOptions>,
): ChatClient {
  const client = createChatClient({ reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 400, fetch: fetchFor(options.baseUrl), ...options });
  openClients.push(client);
  return client;
}

/** Closes every client made with {@link testClient}. */
export function closeClients(): void {
  for (const client of openClients.splice(0)) client.close();
}

/** Waits until the session is subscribed: a probe message from it comes back stored. */
export async function live(session: RoomSession, label: string): Promise<void> {
  await session.ready();
  const probe = session.send(`probe ${label}`);
  await waitFor(`${label}'s probe to be stored`, () =>
    session.messages.some((m) => m.clientMsgId === probe.clientMsgId && m.status === 'sent'),
  );
}

/** The CHAT messages a session shows. */
export function chats(session: RoomSession): ViewMessage[] {
  return session.messages.filter((m) => m.type === 'CHAT');
}

/** The contents of the session's stored CHAT messages, in list order. */
export function sentContents(session: RoomSession): string[] {
  return chats(session)
    .filter((m) => m.status === 'sent')
    .map((m) => m.content);
}

/** True when the session's stored messages are strictly ascending by seq (so none is there twice). */
export function strictlyOrdered(session: RoomSession): boolean {
  const seqs = session.messages.flatMap((m) => (m.seq === undefined ? [] : [m.seq]));
  return seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as number));
}

/**
 * Opens a raw transport as `userId`, runs `use` with it and the events it collects, and closes it after,
 * whatever happens.
 */
export async function withTransport(
  factory: TransportFactory,
  baseUrl: string,
  userId: string,
  use: (transport: Transport, events: ServerEvent[]) => Promise<void>,
): Promise<void> {
  const events: ServerEvent[] = [];
  const transport = factory({ baseUrl, token: await devToken(baseUrl, userId) });
  try {
    await new Promise<void>((resolve, reject) => {
      transport.open({
        onOpen: resolve,
        onEvent: (event) => events.push(event),
        onClose: (info) => reject(new Error(`closed: ${info.error?.code ?? info.reason}`)),
      });
    });
    await use(transport, events);
  } finally {
    transport.close();
  }
}

/** What {@link useTestServer} gives a describe block. */
export interface SuiteServer {
  /** The server's base URL (from `beforeAll` on). */
  readonly url: string;
  /** What a test may do to the server (from `beforeAll` on). */
  readonly server: TestServer['server'];
  /** The in-process server, when the block asked for one. */
  readonly inProcess: InProcessServer | undefined;
  /** A getToken for `userId` that mints one dev token on first use. */
  tokenOf(userId: string): () => Promise<string>;
}

/**
 * Starts a test server for the enclosing describe block — a listening reference server, or with
 * `inProcess` the real core in this process — and closes every test's clients after it.
 */
export function useTestServer(options: { inProcess?: boolean } = {}): SuiteServer {
  let running: (TestServer & { inProcess?: InProcessServer }) | undefined;
  const started = (): TestServer & { inProcess?: InProcessServer } => {
    if (!running) throw new Error('the test server starts in beforeAll');
    return running;
  };
  beforeAll(async () => {
    running = options.inProcess ? startInProcessServer() : await startTestServer();
  });
  afterEach(() => closeClients());
  afterAll(() => running?.dispose());
  return {
    get url() {
      return started().url;
    },
    get server() {
      return started().server;
    },
    get inProcess() {
      return started().inProcess;
    },
    tokenOf(userId) {
      let token: Promise<string> | undefined;
      return () => (token ??= devToken(started().url, userId));
    },
  };
}
