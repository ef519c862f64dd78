// Node only (`@groupbuy/testing/server-process`): the built reference server's CLI as a child process, for
// the suites that must kill a real server and start it again on the same database (the SDK's conformance
// suite, the React bindings' tests, the server's Redis outage test, which imports this file by path since
// this package depends on the server). Kept out of the package's main entry, which runs in a browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** How a {@link ServerProcess} starts the CLI. */
export interface ServerProcessOptions {
  /** The HS256 secret (`--jwt-secret`). */
  secret: string;
  /** The send limit as `capacity/refillMs` (`--rate-limit`). */
  rateLimit: string;
  /** Prefix of the temp dir holding the database. @default 'groupbuy-cli-' */
  tempPrefix?: string;
  /** The SQLite file, when instances share one (several behind one load balancer). @default `<dir>/chat.db` */
  databasePath?: string;
}

/** The workspace's built server CLI (the test command builds before it tests). */
const MAIN = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));

/** The server CLI in dev mode as a child process, so a test can SIGKILL it and start it again on the same database. */
export class ServerProcess {
  /** The temp dir holding the database. */
  readonly dir: string;
  /** `http://127.0.0.1:PORT` once started. */
  url = '';
  private child: ChildProcess | undefined;
  private port = 0;

  constructor(private readonly options: ServerProcessOptions) {
    this.dir = mkdtempSync(join(tmpdir(), options.tempPrefix ?? 'groupbuy-cli-'));
  }

  /** Starts the CLI (on the port of the previous start, if any) and resolves when it listens. */
  async start(extraArgs: string[] = []): Promise<void> {
    const args = [
      MAIN,
      '--port',
      String(this.port),
      '--host',
      '127.0.0.1',
      '--database-url',
      this.options.databasePath ?? join(this.dir, 'chat.db'),
    ];
    args.push('--jwt-secret', this.options.secret, '--dev', '--rate-limit', this.options.rateLimit, ...extraArgs);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        try {
          const log = JSON.parse(line) as { msg?: string; url?: string };
          if (log.msg === 'listening' && log.url) resolve(log.url);
        } catch {
          // not a log line
        }
      });
      child.once('exit', (code) => {
        reject(new Error(`server exited with ${String(code)} before listening: ${stderr}`));
      });
    });
    this.port = Number(new URL(this.url).port);
  }

  /** `ws://127.0.0.1:PORT` once started. */
  get wsUrl(): string {
    return this.url.replace(/^http/, 'ws');
  }

  /** SIGKILL: no goodbye frames, no flush; resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGKILL');
    });
  }

  /** SIGTERM: the server's graceful shutdown (every client told to reconnect now); resolves when the process is gone. */
  async terminate(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Kills the process and deletes the temp dir. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
