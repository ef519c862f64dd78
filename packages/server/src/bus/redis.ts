import { Redis } from 'ioredis';
import { ChatError, type ChatMessage } from '@groupbuy/protocol';
import type { Logger } from '../logger.js';
import type { BusHandler, MessageBus } from './types.js';

/** Options of {@link RedisBus}. */
export interface RedisBusOptions {
  /** `redis://host:port/db`. */
  url: string;
  /** Channel prefix, so several deployments (or test runs) can share one Redis. @default 'groupbuy:' */
  prefix?: string;
  /** Logs connection trouble. */
  logger?: Logger;
}

/**
 * Redis pub/sub between server instances: every instance publishes the messages it stored and delivers
 * what any instance published, its own included, so all instances see one order per publisher. Redis
 * pub/sub is fire-and-forget: a message published while an instance is disconnected is not replayed to
 * it; the hub reads what it missed from the store when {@link onReconnect} fires (and a seq gap makes the
 * SDK fetch `after=lastSeq` over REST).
 */
export class RedisBus implements MessageBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Set<BusHandler>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly prefix: string;
  private readonly ready: Promise<void>;

  private constructor(options: RedisBusOptions) {
    this.prefix = `${options.prefix ?? 'groupbuy:'}room:`;
    // A connection in subscriber mode cannot PUBLISH, hence two.
    this.pub = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub = new Redis(options.url, { lazyConnect: false });
    for (const conn of [this.pub, this.sub]) {
      conn.on('error', (err: Error) => options.logger?.log('warn', 'redis connection error', { error: err.message }));
    }
    this.sub.on('pmessage', (_pattern: string, channel: string, payload: string) => {
      const roomId = channel.slice(this.prefix.length);
      let message: ChatMessage;
      try {
        message = JSON.parse(payload) as ChatMessage;
      } catch {
        options.logger?.log('error', 'unreadable bus message', { room: roomId });
        return;
      }
      for (const handler of this.handlers) handler(roomId, message);
    });
    // ioredis resubscribes by itself on reconnect; what was published while it was away is gone, so tell the hub.
    let connectedBefore = false;
    this.sub.on('ready', () => {
      if (connectedBefore) for (const listener of this.reconnectListeners) listener();
      connectedBefore = true;
    });
    this.ready = Promise.all([this.sub.psubscribe(`${this.prefix}*`), this.pub.ping()]).then(() => undefined);
  }

  /** Connects and subscribes; resolves once this instance receives what others publish. */
  static async open(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    await bus.ready;
    return bus;
  }

  /**
   * Publishes to every instance; resolves when Redis accepted it. While either connection is down it
   * rejects at once (UNAVAILABLE) instead of queueing: the message is stored, the caller delivers it to
   * this instance's subscribers itself, and the others fill the gap from the store (the sequencer).
   */
  async publish(roomId: string, message: ChatMessage): Promise<void> {
    this.assertConnected();
    await this.pub.publish(this.prefix + roomId, JSON.stringify(message));
  }

  /** Registers a listener called after each reconnect of the subscriber connection. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Resolves when both connections are up and Redis answers PING; rejects at once while either is down. */
  async ping(): Promise<void> {
    this.assertConnected();
    await this.pub.ping();
  }

  private assertConnected(): void {
    if (this.pub.status !== 'ready' || this.sub.status !== 'ready') {
      throw new ChatError('UNAVAILABLE', 'The message bus (Redis) is not connected.');
    }
  }

  /** Registers a handler; returns the function that removes it. */
  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Unsubscribes and closes both connections. */
  async close(): Promise<void> {
    this.handlers.clear();
    this.reconnectListeners.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
