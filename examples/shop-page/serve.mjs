// The example shop page, served by the reference server in dev mode (`pnpm start` at the repository root,
// or `node serve.mjs` here): the page from ./public, the widget bundle from packages/elements/dist under
// /elements/, and a demo group-buy room seeded through the REST API like a trade service would.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '@groupbuy/server';

const here = dirname(fileURLToPath(import.meta.url));
const publicDir = join(here, 'public');
const elementsDist = resolve(here, '../../packages/elements/dist');

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
  const { token } = await postJson(`${baseUrl}/api/dev/token`, { userId: 'demo-trade-service', name: 'Demo trade service', role: 'service' });
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
 * Starts the reference server with the shop page. `options` go to startServer (port 0 and a temp
 * database in tests). The demo room's id is published as /demo/room.json for the page.
 */
export async function serve(options = {}) {
  if (!existsSync(join(elementsDist, 'groupbuy-chat.bundle.js'))) {
    throw new Error('packages/elements/dist/groupbuy-chat.bundle.js is missing: run `pnpm build` at the repository root first.');
  }
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? './data/chat.db';
  const demoDir =
    databaseUrl === ':memory:' ? join(tmpdir(), `groupbuy-shop-demo-${process.pid}`) : join(dirname(resolve(databaseUrl)), 'shop-page-demo');
  mkdirSync(demoDir, { recursive: true });
  const server = await startServer({
    dev: true,
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '127.0.0.1',
    // Dev mode: a secret per start is fine (tokens are minted by /api/dev/token on the same server).
    jwtSecret: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    ...options,
    databaseUrl,
    static: [
      { prefix: '/demo/', root: demoDir },
      { prefix: '/elements/', root: elementsDist },
      { prefix: '/', root: publicDir },
    ],
  });
  const room = await seedDemoRoom(server.url);
  writeFileSync(join(demoDir, 'room.json'), JSON.stringify({ productId: room.productId }));
  return { server, room };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { server, room } = await serve();
  console.log(`\n  Shop page:  ${server.url}/\n  Demo deal:  ${room.productId} (${room.participantCount}/${room.maxParticipants}, ends ${room.expiresAt})\n  Open it in two browser windows and sign in with two names to chat.\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
