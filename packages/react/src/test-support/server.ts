// The reference server for these tests, as the SDK's tests start it (packages/sdk/src/test-support/server.ts),
// copied down to what they use: that file is the SDK's and changes with the SDK's own suites.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Room } from '@groupbuy/protocol';

/** The HS256 secret of every test server. */
export const TEST_SECRET = 'react-tests-secret-long-enough-for-hs256';

/** A generous send budget so no test trips the rate limit it is not testing: `capacity/refillMs`. */
const RATE_LIMIT = '10000/1000';

/** The built server CLI as a child process, so a test can SIGKILL it and start it again on the same database. */
export class ServerProcess {
  /** The temp dir holding the database. */
  readonly dir = mkdtempSync(join(tmpdir(), 'groupbuy-react-'));
  /** `http://127.0.0.1:PORT` once started. */
  url = '';
  private child: ChildProcess | undefined;
  private port = 0;

  /** Starts the CLI (on the port of the previous start, if any) and resolves when it listens. */
  async start(extraArgs: string[] = []): Promise<void> {
    const main = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));
    const args = [main, '--port', String(this.port), '--host', '127.0.0.1', '--database-url', join(this.dir, 'chat.db')];
    args.push('--jwt-secret', TEST_SECRET, '--dev', '--rate-limit', RATE_LIMIT, ...extraArgs);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        try {
          const log = JSON.parse(line) as { msg?: string; url?: string };
          if (log.msg === 'listening' && log.url) resolve(log.url);
        } catch {
          // not a log line
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
    });
    this.port = Number(new URL(this.url).port);
  }

  /** SIGKILL: no goodbye frames, no flush; resolves when the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Kills the process and deletes the temp dir. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A dev token from `POST /api/dev/token`. */
export async function devToken(url: string, userId: string, options: { name?: string; role?: 'service' } = {}): Promise<string> {
  const body = { userId, name: options.name ?? `User ${userId}`, ...options };
  return (await post<{ token: string }>(url, '/api/dev/token', body)).token;
}

let rooms = 0;

/** A fresh room, created by the trade service; ids are unique per run. */
export async function createRoom(url: string, init: { maxParticipants?: number } = {}): Promise<Room> {
  const service = await devToken(url, 'trade-service', { role: 'service' });
  const productId = `react-${process.pid}-${Date.now().toString(36)}-${(rooms++).toString(36)}`;
  return post<Room>(
    url,
    '/api/chat/rooms',
    {
      productId,
      title: 'Jeju tangerines 5 kg',
      maxParticipants: init.maxParticipants ?? 10,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
    service,
  );
}

/**
 * Polls `check` until it returns something truthy; throws after `timeoutMs` (@default 20000) with `what`
 * and the last error. Tests wait for conditions, never for a fixed time.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started <= timeoutMs) {
    const value = await Promise.resolve()
      .then(check)
      .catch((err: unknown) => {
        lastError = err;
        return undefined;
      });
    if (value) return value;
    await new Promise((resume) => setTimeout(resume, 25));
  }
  throw new Error(`timed out waiting for ${what}` + (lastError instanceof Error ? `: ${lastError.message}` : ''));
}
