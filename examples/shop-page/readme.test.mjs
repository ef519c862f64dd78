// The README's API tour is run, not just read: its curl block creates a room on a dev server started with
// the CLI, so a stale date or a renamed route in the README fails here.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = join(root, 'README.md');
const MAIN = join(root, 'packages/server/dist/main.js');

/** The shell block of the README's API tour that creates a room. */
function roomCreationBlock() {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => b.includes('/api/chat/rooms') && b.includes('expiresAt'));
  assert.ok(block, 'README.md has a sh block that creates a room');
  return block;
}

let dir;
let child;
let url;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'groupbuy-readme-'));
  child = spawn(process.execPath, [MAIN, '--dev', '--port', '0', '--database-url', join(dir, 'chat.db')], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise((resolveUrl, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`the dev server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        const parsed = line.startsWith('{') ? JSON.parse(line) : null;
        if (parsed?.msg === 'listening') resolveUrl(parsed.url);
      }
    });
  });
});

after(() => {
  child?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the README's API tour", () => {
  it('creates an ACTIVE room with the curl commands as written (a deadline in the future)', async () => {
    const script = roomCreationBlock().replaceAll('http://127.0.0.1:8080', url);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir });
    const room = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(room.productId, 'tangerine-5kg');
    assert.equal(room.status, 'ACTIVE');
    assert.ok(Date.parse(room.expiresAt) > Date.now());
  });
});
