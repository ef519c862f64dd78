import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleCore, type ServerCore } from '../assemble.js';
import { SqliteStore } from '../stores/sqlite.js';
import { TEST_SECRET } from '../test-support/harness.js';
import type { HealthReport } from './readiness.js';

// The real core (a SQLite file, the in-memory bus) answering through its Hono app, as the reference server
// and @groupbuy/testing's in-process server both serve it.
describe('/healthz and /readyz', () => {
  let dir = '';
  let store: SqliteStore | undefined;

  const core = (): ServerCore => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-ready-'));
    store = SqliteStore.open({ path: join(dir, 'chat.db') });
    return assembleCore({ store, jwt: { secret: TEST_SECRET } });
  };
  const get = async (c: ServerCore, path: string) => {
    const res = await c.api.fetch(new Request(`http://chat.test${path}`));
    return { status: res.status, body: (await res.json()) as HealthReport & { connections: number } };
  };

  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the store and the bus each with a status and a latency, 200 when both answer', async () => {
    const c = core();
    const ready = await get(c, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', connections: 0, components: { store: { status: 'ok' }, bus: { status: 'ok' } } });
    expect(typeof ready.body.components['store']?.latencyMs).toBe('number');
    expect(await get(c, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok', connections: 0 } });
  });

  it('says 503 with the store down when the database cannot answer, while liveness stays 200', async () => {
    const c = core();
    await store?.close();
    const ready = await get(c, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'unavailable',
      components: { store: { status: 'down', code: 'UNAVAILABLE' }, bus: { status: 'ok' } },
    });
    expect((await get(c, '/healthz')).status).toBe(200);
  });

  it('says 503 shutting-down as soon as a shutdown starts, whatever the components say', async () => {
    const c = core();
    c.readiness.markShuttingDown();
    const ready = await get(c, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('shutting-down');
    expect((await get(c, '/healthz')).status).toBe(200);
  });
});
