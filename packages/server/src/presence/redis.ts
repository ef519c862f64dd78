import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { parseClusterNodes } from '../bus/cluster-nodes.js';
import type { Viewer } from '@groupbuy/protocol';
import type { Logger } from '../logger.js';
import { mergeViewers, type PresenceStore } from './types.js';

/** Options of {@link RedisPresence}. */
export interface RedisPresenceOptions {
  /** `redis://host:port/db`. */
  url: string;
  /** `host:port` of Redis Cluster nodes (REDIS_CLUSTER_NODES): used instead of `url`; a room's report is one key. */
  clusterNodes?: string[];
  /** Key prefix shared by the instances of one deployment. @default 'groupbuy:' */
  prefix?: string;
  /** How long a report counts without a refresh, in ms; a crashed instance's viewers vanish after it. @default 45000 */
  staleAfterMs?: number;
  /** Logs connection trouble. */
  logger?: Logger;
}

interface Report {
  at: number;
  viewers: Viewer[];
}

/**
 * Presence in Redis: one hash per room (`presence:{roomId}`), one field per instance holding its viewers
 * and when it last said so. Instances refresh their reports on every change and at a third of
 * `staleAfterMs`; readers ignore reports older than that, so a crashed instance's viewers disappear.
 */
export class RedisPresence implements PresenceStore {
  private readonly redis: Redis | Cluster;
  // Pub/sub needs a connection of its own; opened on the first onChange.
  private subscriber: Redis | Cluster | null = null;
  private readonly clusterNodes: string[] | undefined;
  private readonly url: string;
  private readonly logger: Logger | undefined;
  private readonly listeners = new Set<(roomId: string) => void>();
  private readonly channel: string;
  private readonly instanceId = randomUUID();
  private readonly prefix: string;
  private readonly staleAfterMs: number;
  private readonly reported = new Map<string, Viewer[]>();
  private readonly refresh: ReturnType<typeof setInterval>;

  constructor(options: RedisPresenceOptions) {
    this.prefix = `${options.prefix ?? 'groupbuy:'}presence:`;
    this.channel = `${options.prefix ?? 'groupbuy:'}presence-changed`;
    this.url = options.url;
    this.logger = options.logger;
    this.staleAfterMs = options.staleAfterMs ?? 45_000;
    this.clusterNodes = options.clusterNodes?.length ? options.clusterNodes : undefined;
    this.redis = this.connect();
    this.redis.on('error', (err: Error) => options.logger?.log('warn', 'redis presence error', { error: err.message }));
    this.refresh = setInterval(
      () => {
        for (const [roomId, viewers] of this.reported) void this.write(roomId, viewers).catch(() => undefined);
      },
      Math.max(1000, Math.floor(this.staleAfterMs / 3)),
    );
    this.refresh.unref?.();
  }

  /** Records this instance's viewers of a room. */
  async report(roomId: string, viewers: Viewer[]): Promise<void> {
    if (viewers.length === 0) {
      this.reported.delete(roomId);
      await this.redis.hdel(this.prefix + roomId, this.instanceId);
      await this.announce(roomId);
      return;
    }
    this.reported.set(roomId, viewers);
    await this.write(roomId, viewers);
    await this.announce(roomId);
  }

  /** Hears other instances' changes through Redis pub/sub (`{prefix}presence-changed`, `{instanceId} {roomId}`). */
  onChange(listener: (roomId: string) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const sub = this.connect();
      this.subscriber = sub;
      sub.on('error', (err: Error) => this.logger?.log('warn', 'redis presence error', { error: err.message }));
      sub.on('message', (_channel: string, text: string) => {
        const space = text.indexOf(' ');
        if (space < 0 || text.slice(0, space) === this.instanceId) return;
        const roomId = text.slice(space + 1);
        for (const l of this.listeners) l(roomId);
      });
      void sub.subscribe(this.channel).catch(() => undefined);
    }
    return () => this.listeners.delete(listener);
  }

  private connect(): Redis | Cluster {
    return this.clusterNodes
      ? new Cluster(this.clusterNodes.flatMap(parseClusterNodes), { redisOptions: { maxRetriesPerRequest: 3 } })
      : new Redis(this.url, { maxRetriesPerRequest: 3 });
  }

  /** Every live instance's viewers, merged with this instance's. */
  async list(roomId: string, local: Viewer[]): Promise<Viewer[]> {
    const all = await this.redis.hgetall(this.prefix + roomId);
    const now = Date.now();
    const others: Viewer[][] = [];
    for (const [instance, raw] of Object.entries(all)) {
      if (instance === this.instanceId) continue;
      try {
        const report = JSON.parse(raw) as Report;
        if (now - report.at <= this.staleAfterMs) others.push(report.viewers);
      } catch {
        // An unreadable report counts as absent.
      }
    }
    return mergeViewers([local, ...others]);
  }

  /** Withdraws every report of this instance and disconnects. */
  async close(): Promise<void> {
    clearInterval(this.refresh);
    await Promise.allSettled([...this.reported.keys()].map((roomId) => this.redis.hdel(this.prefix + roomId, this.instanceId)));
    await Promise.allSettled([...this.reported.keys()].map((roomId) => this.announce(roomId)));
    this.reported.clear();
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }

  private async announce(roomId: string): Promise<void> {
    await this.redis.publish(this.channel, `${this.instanceId} ${roomId}`);
  }

  private async write(roomId: string, viewers: Viewer[]): Promise<void> {
    const key = this.prefix + roomId;
    const report: Report = { at: Date.now(), viewers };
    // The key outlives its newest report by staleAfterMs, so rooms nobody watches any more clean themselves up.
    await this.redis
      .multi()
      .hset(key, this.instanceId, JSON.stringify(report))
      .pexpire(key, this.staleAfterMs * 2)
      .exec();
  }
}
