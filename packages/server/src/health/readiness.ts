import { Hono } from 'hono';
import { ChatError, type ErrorCode } from '@groupbuy/protocol';

/** Something readiness asks whether it is reachable: the store and the bus (`ping()` on both). */
export interface Pingable {
  /** Resolves when reachable; rejects when not. */
  ping(): Promise<void>;
}

/** One component's answer in a health report. */
export interface ComponentHealth {
  /** `ok`, or `down` when its ping failed or did not answer within the timeout. */
  status: 'ok' | 'down';
  /** How long the ping took (or waited before giving up), in whole ms. */
  latencyMs: number;
  /** Why it is down, as a protocol error code (never the driver's message: it may carry an address). */
  code?: ErrorCode;
}

/** The body of `/readyz` (beside `connections`: open realtime connections on this instance). */
export interface HealthReport {
  /** `ok`; `unavailable` when a component is down; `shutting-down` once the server is closing. */
  status: 'ok' | 'unavailable' | 'shutting-down';
  /** Each component by name. */
  components: Record<string, ComponentHealth>;
}

/** How long a component may take to answer before it counts as down, in ms. */
export const DEFAULT_PING_TIMEOUT_MS = 1000;

/**
 * Whether this instance should get traffic: every component answers its ping and the server is not
 * shutting down. A load balancer polls `/readyz` and takes the instance out while it says 503; nothing
 * here latches, so the instance comes back as soon as its components do (ioredis reconnects by itself).
 */
export class Readiness {
  private shuttingDown = false;

  constructor(
    private readonly components: Record<string, Pingable>,
    private readonly timeoutMs = DEFAULT_PING_TIMEOUT_MS,
  ) {}

  /** From now on the instance is not ready, whatever its components say (the start of a graceful shutdown). */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  /** True once {@link markShuttingDown} was called. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Pings every component at once (each bounded by the timeout) and reports them. */
  async check(): Promise<HealthReport> {
    if (this.shuttingDown) return { status: 'shutting-down', components: {} };
    const entries = await Promise.all(Object.entries(this.components).map(async ([name, c]) => [name, await this.probe(c)] as const));
    const components = Object.fromEntries(entries);
    const ready = entries.every(([, health]) => health.status === 'ok');
    // Asked again: a shutdown may have begun while the pings were out.
    return { status: this.shuttingDown ? 'shutting-down' : ready ? 'ok' : 'unavailable', components };
  }

  private async probe(component: Pingable): Promise<ComponentHealth> {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ChatError('UNAVAILABLE', 'No answer in time.')), this.timeoutMs);
    });
    try {
      await Promise.race([component.ping(), timeout]);
      return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      const code = err instanceof ChatError ? err.code : 'UNAVAILABLE';
      return { status: 'down', latencyMs: Math.round(performance.now() - started), code };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * `GET /healthz` (liveness: the process answers; always 200 while it does) and `GET /readyz` (readiness:
 * 200 with every component `ok`, else 503), both without a token.
 */
export function healthRoutes(readiness: Readiness, connections: () => number): Hono {
  const app = new Hono();
  // Liveness asks nothing of the store or the bus: a restart would not bring Redis back.
  app.get('/healthz', (c) => c.json({ status: 'ok', connections: connections() }));
  app.get('/readyz', async (c) => {
    const report = await readiness.check();
    return c.json({ ...report, connections: connections() }, report.status === 'ok' ? 200 : 503, { 'Cache-Control': 'no-store' });
  });
  return app;
}
