import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';

interface Pending<A extends unknown[], R> {
  args: A;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

/**
 * Group commit for one kind of write (issue 10: acknowledged sends): the writes asked for in the same turn of
 * the event loop run in ONE IMMEDIATE transaction — one BEGIN/COMMIT and one WAL append for the pages they
 * share instead of one per write — flushed on `setImmediate`, in the order they were asked for. Each write
 * runs in its own savepoint (`write` is a better-sqlite3 transaction function, which nests as one), so a
 * refused write (a room rule's error) is rolled back alone and rejects only its own promise; every promise
 * settles only after the COMMIT, so an acknowledgement never comes before its durable write. A write alone
 * in its turn runs exactly as before: `write.immediate(...)`.
 */
export class GroupCommit<A extends unknown[], R> {
  private queue: Pending<A, R>[] = [];
  private readonly batch: Database.Transaction<(queue: Pending<A, R>[]) => Outcome<R>[]>;

  constructor(
    db: Database.Database,
    private readonly write: Database.Transaction<(...args: A) => R>,
  ) {
    this.batch = db.transaction((queue: Pending<A, R>[]) =>
      queue.map((p): Outcome<R> => {
        try {
          return { ok: true, result: this.write(...p.args) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Queues one write; resolves with its result once the transaction holding it has committed. */
  run(...args: A): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.queue.push({ args, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits what is queued now (also called before the database closes). */
  flush(): void {
    const queue = this.queue;
    this.queue = [];
    if (queue.length === 0) return;
    if (queue.length === 1) {
      const [only] = queue as [Pending<A, R>];
      try {
        only.resolve(this.write.immediate(...only.args));
      } catch (err) {
        only.reject(err);
      }
      return;
    }
    let outcomes: Outcome<R>[];
    try {
      outcomes = this.batch.immediate(queue);
    } catch (err) {
      // BEGIN or COMMIT failed (another process held the lock past busy_timeout, disk full): nothing was stored.
      for (const p of queue) p.reject(err);
      return;
    }
    outcomes.forEach((o, i) => {
      const p = queue[i];
      if (o.ok) p?.resolve(o.result);
      else p?.reject(o.error);
    });
  }
}
