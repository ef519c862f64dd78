import { Cluster, Redis } from 'ioredis';
import { ChatError, type ChatMessage } from '@groupbuy/protocol';
import type { Logger } from '../logger.js';
import { parseClusterNodes } from './cluster-nodes.js';
import type { BusHandler, EphemeralEvent, MessageBus } from './types.js';

export { parseClusterNodes };

/** Options of {@link RedisBus}. */
export interface RedisBusOptions {
  /** `redis://host:port/db`: one Redis (classic pub/sub). Ignored when `clusterNodes` is given. */
  url?: string;
  /**
   * `host:port` of some nodes of a Redis Cluster (7.0+): sharded pub/sub (`SSUBSCRIBE`/`SPUBLISH`), each
   * room's channel on the shard that owns its hash slot, so the cluster's pub/sub load grows with its shards.
   */
  clusterNodes?: string[];
  /** Channel prefix, so several deployments (or test runs) can share one Redis. @default 'groupbuy:' */
  prefix?: string;
  /** Logs connection trouble. */
  logger?: Logger;
}

/**
 * Redis pub/sub between server instances, one channel per room (`{prefix}room:{roomId}`; the braces are a
 * cluster hash tag). An instance subscribes to a room's channel when the room's first local subscriber
 * arrives ({@link follow}) and unsubscribes after the last leaves ({@link unfollow}), so it receives only the
 * traffic of rooms someone on it reads: instances add capacity instead of all processing every message.
 * Redis pub/sub is fire-and-forget: a message published while an instance is disconnected, or before its
 * SUBSCRIBE was confirmed, does not reach it; the hub reads that from the store (the sequencer).
 */
export class RedisBus implements MessageBus {
  private readonly pub: Redis | Cluster;
  private readonly sub: Redis | Cluster;
  private readonly sharded: boolean;
  private readonly handlers = new Set<BusHandler>();
  private readonly ephemeralHandlers = new Set<(event: EphemeralEvent) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly prefix: string;
  private readonly ready: Promise<void>;
  // Rooms followed, with the confirmation of their SUBSCRIBE.
  private readonly followed = new Map<string, Promise<void>>();
  private received = 0;

  private constructor(options: RedisBusOptions) {
    this.prefix = `${options.prefix ?? 'groupbuy:'}room:`;
    const nodes = options.clusterNodes;
    this.sharded = nodes !== undefined && nodes.length > 0;
    if (nodes && this.sharded) {
      const startup = nodes.map((n) => parseClusterNodes(n)).flat();
      this.pub = new Cluster(startup, { redisOptions: { maxRetriesPerRequest: 3 } });
      this.sub = new Cluster(startup, { shardedSubscribers: true });
    } else {
      if (!options.url) throw new Error('RedisBus needs url or clusterNodes');
      // A connection in subscriber mode cannot PUBLISH, hence two.
      this.pub = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
      this.sub = new Redis(options.url, { lazyConnect: false });
    }
    for (const conn of [this.pub, this.sub]) {
      conn.on('error', (err: Error) => options.logger?.log('warn', 'redis connection error', { error: err.message }));
    }
    this.sub.on(this.sharded ? 'smessage' : 'message', (channel: string, payload: string) => {
      // `{prefix}room:{roomId}`
      const roomId = channel.slice(this.prefix.length + 1, -1);
      this.received += 1;
      let message: ChatMessage;
      try {
        message = JSON.parse(payload) as ChatMessage;
      } catch {
        options.logger?.log('error', 'unreadable bus message', { room: roomId });
        return;
      }
      // Typing and read events (issue 12) ride the room's channel wrapped as `{ ephemeral }` (a ChatMessage has no such field).
      const ephemeral = (message as { ephemeral?: EphemeralEvent }).ephemeral;
      if (ephemeral) for (const handler of this.ephemeralHandlers) handler(ephemeral);
      else for (const handler of this.handlers) handler(roomId, message);
    });
    // ioredis resubscribes by itself on reconnect; what was published while it was away is gone, so tell the hub.
    let connectedBefore = false;
    this.sub.on('ready', () => {
      if (connectedBefore) for (const listener of this.reconnectListeners) listener();
      connectedBefore = true;
    });
    this.ready = Promise.all([this.sub.ping(), this.pub.ping()]).then(() => undefined);
  }

  /** Connects; resolves once both connections answer. */
  static async open(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    await bus.ready;
    return bus;
  }

  private channel(roomId: string): string {
    return `${this.prefix}{${roomId}}`;
  }

  /**
   * Publishes to every instance following the room; resolves when Redis accepted it. While either
   * connection is down it rejects at once (UNAVAILABLE) instead of queueing: the message is stored, the
   * caller delivers it to this instance's subscribers itself, and the others fill the gap from the store.
   */
  async publish(roomId: string, message: ChatMessage): Promise<void> {
    this.assertConnected();
    const payload = JSON.stringify(message);
    if (this.sharded) await this.pub.spublish(this.channel(roomId), payload);
    else await this.pub.publish(this.channel(roomId), payload);
  }

  /** Publishes a typing or read event on the room's channel: only instances following the room get it. */
  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    this.assertConnected();
    const payload = JSON.stringify({ ephemeral: event });
    if (this.sharded) await this.pub.spublish(this.channel(event.roomId), payload);
    else await this.pub.publish(this.channel(event.roomId), payload);
  }

  /** Registers an ephemeral handler; returns the function that removes it. */
  subscribeEphemeral(handler: (event: EphemeralEvent) => void): () => void {
    this.ephemeralHandlers.add(handler);
    return () => this.ephemeralHandlers.delete(handler);
  }

  /** Subscribes to the room's channel; resolves when Redis confirmed the subscription. */
  follow(roomId: string): Promise<void> {
    let confirmed = this.followed.get(roomId);
    if (!confirmed) {
      const channel = this.channel(roomId);
      confirmed = (this.sharded ? this.sub.ssubscribe(channel) : this.sub.subscribe(channel)).then(() => undefined);
      this.followed.set(roomId, confirmed);
    }
    return confirmed;
  }

  /** Unsubscribes from the room's channel (a later {@link follow} subscribes again, in order on the connection). */
  async unfollow(roomId: string): Promise<void> {
    if (!this.followed.delete(roomId)) return;
    const channel = this.channel(roomId);
    await (this.sharded ? this.sub.sunsubscribe(channel) : this.sub.unsubscribe(channel)).catch(() => undefined);
  }

  /** Rooms this instance follows now. */
  get followedRooms(): number {
    return this.followed.size;
  }

  /** Messages this instance received from Redis since it opened (what following only local rooms keeps low). */
  get messagesReceived(): number {
    return this.received;
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
    this.ephemeralHandlers.clear();
    this.reconnectListeners.clear();
    this.followed.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
