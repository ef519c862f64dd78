import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';

interface Pending<A extends unknown[], R> {
  args: A;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

// A write of a batch threw (not BEGIN or COMMIT): the batch is worth running again with a savepoint per write.
class RefusedInBatch extends Error {
  constructor(refusal: unknown) {
    super('a write of the batch was refused', { cause: refusal });
  }
}

/**
 * Group commit for one kind of write (issue 10: acknowledged sends): the writes asked for in the same turn of
 * the event loop run in ONE IMMEDIATE transaction — one BEGIN/COMMIT and one WAL append for the pages they
 * share instead of one per write — flushed on `setImmediate`, in the order they were asked for. A write that
 * throws (a room rule's refusal, a duplicate) rolls the whole batch back, and the batch runs again with each
 * write in its own savepoint (better-sqlite3 nests a transaction function as one), so the refused write is
 * rolled back alone and rejects only its own promise: refusals are rare, and a savepoint per write costs two
 * statements each on every batch. Every promise settles only after the COMMIT, so an acknowledgement never
 * comes before its durable write. A write alone in its turn runs exactly as before: `write.immediate(...)`.
 * `body` may so run twice for one write, the first run rolled back: each promise gets the answer of the run
 * that committed, and `body` must keep nothing outside the database that a rollback would leave wrong (the
 * appends' plain-text cache is keyed by ciphertext, so an entry of a rolled-back row matches no row read).
 */
export class GroupCommit<A extends unknown[], R> {
  private queue: Pending<A, R>[] = [];
  private readonly write: Database.Transaction<(...args: A) => R>;
  private readonly batch: Database.Transaction<(queue: Pending<A, R>[]) => R[]>;
  private readonly batchEach: Database.Transaction<(queue: Pending<A, R>[]) => Outcome<R>[]>;

  constructor(db: Database.Database, body: (...args: A) => R) {
    this.write = db.transaction(body);
    // The usual batch: every write succeeds, so none needs a savepoint of its own (two statements a write).
    this.batch = db.transaction((queue: Pending<A, R>[]) =>
      queue.map((p) => {
        try {
          return body(...p.args);
        } catch (err) {
          throw new RefusedInBatch(err);
        }
      }),
    );
    // A batch in which a write threw was rolled back whole; it runs again with a savepoint per write.
    this.batchEach = db.transaction((queue: Pending<A, R>[]) =>
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
      const results = this.batch.immediate(queue);
      results.forEach((result, i) => queue[i]?.resolve(result));
      return;
    } catch (err) {
      // Nothing of the batch was stored. BEGIN or COMMIT failed (another process held the lock past
      // busy_timeout, disk full): running it again would only wait as long again.
      if (!(err instanceof RefusedInBatch)) {
        for (const p of queue) p.reject(err);
        return;
      }
      // A write was refused (a room rule, a duplicate): the batch runs again, that write alone rolled back.
    }
    try {
      outcomes = this.batchEach.immediate(queue);
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
