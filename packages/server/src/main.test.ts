import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from './auth/jwt.js';
import { devSecretFile } from './server.js';
import { api, connectStomp, waitFor } from './test-support/harness.js';

// The CLI as `pnpm start` runs it: the built dist/main.js (the test command builds first).
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Cli {
  child: ChildProcess;
  lines: any[];
  stderr: string[];
  exit: Promise<number | null>;
}

function runCli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: any[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
  });
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, stderr, exit };
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the groupbuy-server CLI', () => {
  it('starts in dev mode with no configuration, mints dev tokens, and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-cli-'));
    dirs.push(dir);
    const cli = runCli(['--dev', '--port', '0', '--database-url', join(dir, 'chat.db')]);
    children.push(cli.child);
    const listening = await waitFor(() => cli.lines.find((l) => l.msg === 'listening'));
    const url: string = listening.url;
    const devToken = async (body: object) => (await api({ url }, 'POST', '/api/dev/token', { body })).body.token as string;
    const service = await devToken({ userId: 'trade', name: 'Trade', role: 'service' });
    const created = await api({ url }, 'POST', '/api/chat/rooms', {
      token: service,
      body: { productId: 'cli-room', title: 'Pears', maxParticipants: 5, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(created.status).toBe(201);
    const peer = await connectStomp({ wsUrl: url.replace('http', 'ws') }, await devToken({ userId: 'kim', name: '김' }));
    await peer.subscribe('cli-room');
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.lines.some((l) => l.msg === 'stopped')).toBe(true);
    await waitFor(() => peer.closed());
  });

  it('refuses to start outside dev mode without JWT_SECRET, saying why', async () => {
    const cli = runCli(['--port', '0']);
    children.push(cli.child);
    expect(await cli.exit).toBe(1);
    expect(cli.stderr.join('')).toContain('JWT_SECRET is required');
  });

  it('has no dev token endpoint outside dev mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-cli-'));
    dirs.push(dir);
    const cli = runCli(['--port', '0', '--host', '127.0.0.1'], { JWT_SECRET: 'x'.repeat(40), DATABASE_URL: join(dir, 'chat.db') });
    children.push(cli.child);
    const { url } = await waitFor(() => cli.lines.find((l) => l.msg === 'listening'));
    const res = await fetch(`${url}/api/dev/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"userId":"a","name":"b"}',
    });
    expect(res.status).toBe(404);
  });

  it('keeps the generated dev secret beside the database (0600), so a restart accepts the tokens it issued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-cli-'));
    dirs.push(dir);
    const db = join(dir, 'chat.db');
    const start = async () => {
      const cli = runCli(['--dev', '--port', '0', '--database-url', db]);
      children.push(cli.child);
      const { url } = await waitFor(() => cli.lines.find((l) => l.msg === 'listening'));
      return { cli, url: url as string };
    };
    const first = await start();
    const { token } = (
      await api({ url: first.url }, 'POST', '/api/dev/token', { body: { userId: 'trade', name: 'Trade', role: 'service' } })
    ).body;
    const body = {
      productId: 'restart-room',
      title: 'Pears',
      maxParticipants: 5,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    expect((await api({ url: first.url }, 'POST', '/api/chat/rooms', { token, body })).status).toBe(201);
    first.cli.child.kill('SIGTERM');
    expect(await first.cli.exit).toBe(0);
    expect(statSync(`${db}.jwt-secret`).mode & 0o777).toBe(0o600);

    const second = await start();
    expect((await api({ url: second.url }, 'POST', '/api/chat/rooms', { token, body })).status).toBe(200);
    // The same dev-mode warning `pnpm start` prints, naming where the secret lives (never the secret).
    const warning = await waitFor(() =>
      second.cli.stderr
        .join('')
        .split('\n')
        .find((l) => l.includes('dev mode')),
    );
    expect(warning).toContain(`${db}.jwt-secret`);
  });

  it('lets JWT_SECRET win over the dev secret file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-cli-'));
    dirs.push(dir);
    const db = join(dir, 'chat.db');
    const secret = 'given-dev-secret';
    const cli = runCli(['--dev', '--port', '0', '--database-url', db], { JWT_SECRET: secret });
    children.push(cli.child);
    const { url } = await waitFor(() => cli.lines.find((l) => l.msg === 'listening'));
    const { token } = await signToken({ secret }, { userId: 'trade', name: 'Trade', role: 'service' });
    const body = {
      productId: 'given-secret-room',
      title: 'Pears',
      maxParticipants: 5,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    expect((await api({ url }, 'POST', '/api/chat/rooms', { token, body })).status).toBe(201);
    expect(existsSync(`${db}.jwt-secret`)).toBe(false);
  });

  it('keeps no dev secret file for an in-memory or PostgreSQL database', () => {
    expect(devSecretFile(':memory:')).toBeUndefined();
    expect(devSecretFile('postgres://chat@db/chat')).toBeUndefined();
    expect(devSecretFile('file:/var/lib/chat.db')).toBe('/var/lib/chat.db.jwt-secret');
  });
});
