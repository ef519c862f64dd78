import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
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
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: any[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
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
    const res = await fetch(`${url}/api/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"userId":"a","name":"b"}' });
    expect(res.status).toBe(404);
  });
});
