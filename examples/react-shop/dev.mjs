// `pnpm --filter react-shop dev`: the reference server in dev mode (its SQLite file and kept JWT secret
// under ./data/, dev tokens at /api/dev/token), a demo deal seeded through the REST API as a trade service
// would, and Vite's dev server for the page, which proxies /api and /ws to the chat server.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsonLogger, loadConfig, startFromConfig } from '@groupbuy/server';

const here = dirname(fileURLToPath(import.meta.url));
const PRODUCT_ID = 'demo-react-tangerine';

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

/** Creates the demo room, or takes a fresh id when the one before has ended (creating is idempotent per id). */
async function seedDemoRoom(baseUrl) {
  const { token } = await postJson(`${baseUrl}/api/dev/token`, {
    userId: 'demo-trade-service',
    name: 'Demo trade service',
    role: 'service',
  });
  for (let n = 1; ; n++) {
    const productId = n === 1 ? PRODUCT_ID : `${PRODUCT_ID}-${n}`;
    const room = await postJson(
      `${baseUrl}/api/chat/rooms`,
      {
        productId,
        title: '제주 노지 감귤 5kg 공동구매',
        maxParticipants: 10,
        minParticipants: 5,
        expiresAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
        hostId: 'demo-seller',
      },
      token,
    );
    if (room.status === 'ACTIVE' && Date.parse(room.expiresAt) - Date.now() > 15 * 60_000) return room;
  }
}

mkdirSync(join(here, 'data'), { recursive: true });
const pagePort = Number(process.env.PORT ?? 5173);
// The proxy keeps the page's Origin header: the chat server must list the page's origin (REST, /ws).
const origins = `http://127.0.0.1:${pagePort},http://localhost:${pagePort}`;
const argv = [
  '--dev',
  '--port',
  process.env.CHAT_PORT ?? '8787',
  '--database-url',
  join(here, 'data', 'chat.db'),
  '--allowed-origins',
  origins,
];
argv.push(...process.argv.slice(2));
const server = await startFromConfig({ ...loadConfig(argv, process.env), dev: true }, { logger: createJsonLogger() });
const room = await seedDemoRoom(server.url);

process.env.GROUPBUY_SERVER_URL = server.url;
process.env.VITE_DEMO_PRODUCT = room.productId;
const { createServer } = await import('vite');
const vite = await createServer({
  root: here,
  configFile: join(here, 'vite.config.ts'),
  server: { port: pagePort, strictPort: true, host: '127.0.0.1' },
});
await vite.listen();
console.log(
  `\n  React shop:   ${vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/'}\n  Chat server:  ${server.url} (dev mode)\n  Demo deal:    ${room.productId}\n`,
);

const stop = () => void Promise.all([vite.close(), server.close()]).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
