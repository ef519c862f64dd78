import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import { TEST_SECRET, api, connectStomp, createRoom, tokenFor, waitFor } from './test-support/harness.js';

// The CLI as production runs it: the built dist/main.js (the test command builds first).
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

interface Instance {
  child: ChildProcess;
  url: string;
  wsUrl: string;
}

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'groupbuy-cluster-limit-'));
afterAll(async () => {
  await Promise.all(
    children.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
});

/** One server process: the built CLI on an ephemeral port; resolves once it logged `listening`. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [MAIN, '--port', '0'], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let url = '';
  let buffered = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = JSON.parse(line) as { msg?: string; url?: string };
      if (parsed.msg === 'listening' && parsed.url) url = parsed.url;
    }
  });
  await waitFor(() => url, 15_000, 'the CLI to listen');
  return { child, url, wsUrl: url.replace(/^http/, 'ws') };
}

describe('the send limit across two server processes on one Redis', () => {
  it('stores no more than one allowance when one user floods through both instances', async () => {
    // One SQLite file, one Redis; an hour's refill so no token comes back while the test runs.
    const allowance = 10;
    const env = {
      DATABASE_URL: join(dir, 'chat.db'),
      JWT_SECRET: TEST_SECRET,
      CHAT_CONTENT_KEY: randomBytes(32).toString('base64'),
      REDIS_URL,
      RATE_LIMIT: `${allowance}/3600000`,
    };
    const one = await startInstance(env);
    const two = await startInstance(env);
    const room = await createRoom(one, { productId: `flood-${randomBytes(4).toString('hex')}` });
    const token = await tokenFor('flooder');
    const peers = [await connectStomp(one, token), await connectStomp(two, token)];

    const perInstance = 20;
    const results = await Promise.all(
      peers.map(async (peer, p) => {
        const answers: { ok: boolean; error?: { code: string; retryAfterMs?: number } }[] = [];
        for (let i = 0; i < perInstance; i++) answers.push(await peer.send(room.productId, { content: `flood ${p}-${i}` }));
        return answers;
      }),
    );
    const answers = results.flat();
    const refused = answers.filter((a) => !a.ok);
    expect(refused.every((a) => a.error?.code === 'RATE_LIMITED' && (a.error.retryAfterMs ?? 0) > 0)).toBe(true);

    const history = await api(two, 'GET', `/api/chat/rooms/${room.productId}/messages?limit=100`, { token });
    expect(history.status).toBe(200);
    const stored = (history.body.messages as ChatMessage[]).filter((m) => m.type === 'CHAT' && m.sender?.userId === 'flooder');
    console.log(
      `two instances, ${answers.length} sends by one user: stored ${stored.length} vs allowance ${allowance} (acknowledged ${answers.length - refused.length}, refused ${refused.length} RATE_LIMITED)`,
    );
    expect(stored.length).toBeLessThanOrEqual(allowance);
    expect(answers.length - refused.length).toBe(stored.length);
    for (const peer of peers) await peer.close();
  });
});
