// The example shop page, served by the reference server in dev mode (`pnpm start` at the repository root,
// or `node serve.mjs [flags]` here). The server starts exactly as in production — the same loadConfig
// (every flag and variable of the README's table: ALLOWED_ORIGINS, REDIS_URL, RATE_LIMIT, JWT_*,
// WIDGET_DIR …) and the same startFromConfig, with the same dev-mode warning — only always in dev mode.
// This file adds just the page from ./public and a demo group-buy room seeded through the REST API like a
// trade service would. The widget comes from the server's own /elements/ route.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createJsonLogger, loadConfig, startFromConfig } from '@groupbuy/server';

const here = dirname(fileURLToPath(import.meta.url));
const publicDir = join(here, 'public');

/** The demo product; a new id is taken when the previous demo deal has ended. */
export const DEMO_PRODUCT_BASE = 'demo-jeju-tangerine';
const DEMO_HOURS = 3;

async function postJson(url, body, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A dev token for the trade service (dev mode only), which may create rooms. */
export async function serviceToken(baseUrl) {
  const { token } = await postJson(`${baseUrl}/api/dev/token`, {
    userId: 'demo-trade-service',
    name: 'Demo trade service',
    role: 'service',
  });
  return token;
}

/**
 * Creates (or finds) a room. POST /api/chat/rooms is idempotent on productId: an existing room comes back
 * unchanged, so this is safe on every start.
 */
export async function createRoom(baseUrl, room) {
  return postJson(`${baseUrl}/api/chat/rooms`, room, await serviceToken(baseUrl));
}

/** Makes sure an ACTIVE demo room exists; returns it. Ended demo rooms are left as they are. */
export async function seedDemoRoom(baseUrl) {
  for (let n = 1; n <= 1000; n++) {
    const productId = n === 1 ? DEMO_PRODUCT_BASE : `${DEMO_PRODUCT_BASE}-${n}`;
    const room = await createRoom(baseUrl, {
      productId,
      title: '제주 노지 감귤 5kg 공동구매 (산지 직송)',
      maxParticipants: 10,
      minParticipants: 5,
      expiresAt: new Date(Date.now() + DEMO_HOURS * 3_600_000).toISOString(),
      hostId: 'demo-seller',
    });
    // An old demo room that is closed, or about to be, makes way for a fresh one.
    if (room.status !== 'ACTIVE' || Date.parse(room.expiresAt) - Date.now() <= 15 * 60_000) continue;
    if (room.lastSeq === 0) {
      // A new demo deal opens with the seller's notice, as a trade service would post it.
      await postJson(
        `${baseUrl}/api/chat/rooms/${productId}/notifications`,
        { content: '공동구매가 시작되었어요! 10명이 모이면 바로 마감되고, 다음 날 산지에서 발송해 드려요. 🍊' },
        await serviceToken(baseUrl),
      );
    }
    return room;
  }
  throw new Error('could not find a free demo product id');
}

/**
 * Starts the reference server in dev mode with the shop page. The configuration is read like the CLI
 * reads it, from `options.argv` (@default the process's flags) and `options.env` (@default process.env);
 * the remaining `options` (port 0 and a temp `databaseUrl` in tests, `logger`) override single settings.
 * The demo room's id is published as /demo/room.json for the page.
 */
export async function serve(options = {}) {
  const { argv = process.argv.slice(2), env = process.env, logger = createJsonLogger(), ...overrides } = options;
  const config = { ...loadConfig(['--dev', ...argv], env), ...overrides, dev: true };
  if (overrides.jwtSecret) config.secretGenerated = false;
  if (!config.widgetDir) {
    throw new Error(
      'packages/elements/dist/groupbuy-chat.bundle.js is missing: run `pnpm build` at the repository root first (or set WIDGET_DIR).',
    );
  }
  const databaseUrl = config.databaseUrl;
  const demoDir = /^(:memory:|postgres(ql)?:)/.test(databaseUrl)
    ? join(tmpdir(), `groupbuy-shop-demo-${process.pid}`)
    : join(dirname(resolve(databaseUrl.replace(/^file:/, ''))), 'shop-page-demo');
  mkdirSync(demoDir, { recursive: true });
  const server = await startFromConfig(config, {
    logger,
    static: [
      { prefix: '/demo/', root: demoDir },
      { prefix: '/', root: publicDir },
    ],
  });
  const room = await seedDemoRoom(server.url);
  writeFileSync(join(demoDir, 'room.json'), JSON.stringify({ productId: room.productId }));
  return { server, room };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = await serve().catch((err) => {
    // A configuration mistake (a malformed RATE_LIMIT, a WIDGET_DIR without the widget) is a sentence, not a stack.
    console.error(`pnpm start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  const { server, room } = started;
  console.log(
    `\n  Shop page:  ${server.url}/\n  Demo deal:  ${room.productId} (${room.participantCount}/${room.maxParticipants}, ends ${room.expiresAt})\n  Open it in two browser windows and sign in with two names to chat.\n`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
