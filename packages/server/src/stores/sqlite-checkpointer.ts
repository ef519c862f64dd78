import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * The WAL size (pages) at which the writer's own auto-checkpoint still runs once the checkpoint thread is
 * on: a safety net (~64 MB) should that thread fall behind or die, far above what it lets the WAL reach.
 */
export const WRITER_AUTOCHECKPOINT_PAGES = 16_000;
/** SQLite's default auto-checkpoint (pages): the writer's again when there is no checkpoint thread. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** How often the checkpoint thread checkpoints the WAL (a no-op when nothing was written since). @default 200 */
export const CHECKPOINT_INTERVAL_MS = 200;

// The thread: its own connection to the file, a PASSIVE checkpoint every interval (it never blocks the
// writer, and takes only what no reader still needs), and one more when told to stop. It reports the frames
// it moved, so the store can say what it did.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.checkpointed > 0) parentPort.postMessage(result.checkpointed);
  } catch {
    // The writer's safety net covers a checkpoint that failed (SQLITE_BUSY from another checkpointer).
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Moves the WAL checkpoints of a SQLite file off the event loop (issue 10): a checkpoint copies the WAL's
 * pages into the database file and, with `synchronous = NORMAL`, fsyncs both — work that ran inside
 * whichever COMMIT crossed SQLite's 1,000-page threshold, stalling every connection of the server meanwhile
 * (about 15% of an append under load, measured). A worker thread with a connection of its own does it
 * every {@link CHECKPOINT_INTERVAL_MS} instead; the writer keeps its auto-checkpoint only as a safety net
 * ({@link WRITER_AUTOCHECKPOINT_PAGES}), and gets SQLite's default back if the thread ever fails.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  /** WAL frames the thread has copied into the database file so far. */
  checkpointedFrames = 0;

  constructor(writer: Database.Database, path: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    writer.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    this.worker = new Worker(THREAD, { eval: true, workerData: { path, driver, intervalMs } });
    this.worker.on('message', (frames: number) => (this.checkpointedFrames += frames));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (code !== 0 && writer.open) writer.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
        resolve();
      });
    });
    // An error ends the thread (then 'exit'); the writer's auto-checkpoint takes over.
    this.worker.on('error', () => undefined);
    // After the listeners (a 'message' listener refs the thread again): the thread never keeps the process up.
    this.worker.unref();
  }

  /** Checkpoints once more and ends the thread (before the writer closes). */
  async stop(): Promise<void> {
    // Held now, or a process with nothing else to do would exit before the thread's last checkpoint.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
