import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from './auth/jwt.js';
import { loadConfig } from './config.js';
import { METRIC_FAMILIES, Metrics } from './metrics.js';
import { api, connectStomp, createRoom, startTestServer, tokenFor, type TestServer } from './test-support/harness.js';

function families(text: string): Map<string, ParsedFamily> {
  return new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
}

function expectHelpAndType(parsed: Map<string, ParsedFamily>): void {
  for (const f of parsed.values()) {
    expect(f.help, `# HELP of ${f.name}`).not.toBe('');
    expect(f.type, `# TYPE of ${f.name}`).not.toBe('UNTYPED');
  }
}

function sample(f: ParsedFamily | undefined, labels: Record<string, string> = {}): number {
  const s = f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(s?.value ?? s?.count ?? NaN);
}

describe('GET /metrics (prom-client)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it('parses as Prometheus text with HELP and TYPE on every family, process metrics and every groupbuy family included', async () => {
    const room = await createRoom(server);
    const kim: Principal = { userId: 'kim', name: 'Kim', role: 'user', expiresAtMs: Date.now() + 3_600_000 };
    const peer = await connectStomp(server, await tokenFor('watcher'));
    await server.service.post(kim, room.productId, { content: 'hello' });

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const parsed = families(await res.text());
    expectHelpAndType(parsed);
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_heap_size_used_bytes',
      'process_cpu_user_seconds_total',
    ]) {
      expect(parsed.has(name), name).toBe(true);
    }
    for (const name of Object.keys(METRIC_FAMILIES)) expect(parsed.has(name), name).toBe(true);
    expect(sample(parsed.get('groupbuy_messages_sent_total'), { result: 'ok' })).toBe(1);
    expect(sample(parsed.get('groupbuy_send_to_stored_seconds'))).toBe(1);
    expect(sample(parsed.get('groupbuy_connections'), { transport: 'stomp' })).toBe(1);
    expect(parsed.get('groupbuy_send_to_stored_seconds')?.type).toBe('HISTOGRAM');
    await peer.close();
  });

  it('answers in Prometheus text from the in-memory Metrics of the in-process core, HELP and TYPE included', async () => {
    const metrics = new Metrics();
    metrics.inc('groupbuy_messages_sent_total', { result: 'error', code: 'ROOM_FULL' });
    metrics.gauge('groupbuy_connections', { transport: 'ws' }, 2);
    metrics.observeSendLatency(3);
    metrics.collect('groupbuy_rooms', () => 4);
    metrics.inc('groupbuy_not_in_the_table_total');
    const parsed = families(await metrics.render());
    expectHelpAndType(parsed);
    expect(sample(parsed.get('groupbuy_messages_sent_total'), { code: 'ROOM_FULL' })).toBe(1);
    expect(sample(parsed.get('groupbuy_connections'), { transport: 'ws' })).toBe(2);
    expect(sample(parsed.get('groupbuy_rooms'))).toBe(4);
    expect(parsed.get('groupbuy_send_to_stored_seconds')?.metrics[0]?.buckets?.['0.005']).toBe('1');
  });

  it('keeps counting when a call site passes a label its family did not declare', async () => {
    server.metrics.inc('groupbuy_fanout_deliveries_total', { unexpected: 'x' });
    expect(server.metrics.value('groupbuy_fanout_deliveries_total', { unexpected: 'x' })).toBe(1);
    expect((await api(server, 'GET', '/metrics')).status).toBe(200);
  });
});

describe('METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ metricsToken: 'scrape-me-please' });
  });
  afterAll(() => server.dispose());

  it('refuses /metrics without the bearer token or with a wrong one, and answers with it', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-me-pleasE' } })).status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-me-please' } });
    expect(ok.status).toBe(200);
    expectHelpAndType(families(await ok.text()));
  });
});

describe('METRICS_PORT', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ metricsPort: 0 });
  });
  afterAll(() => server.dispose());

  it('serves /metrics on its own port and not on the main one', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(server.metricsUrl).not.toContain(`:${server.port}/`);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const res = await fetch(server.metricsUrl ?? '');
    expect(res.status).toBe(200);
    expectHelpAndType(families(await res.text()));
  });
});

describe('loadConfig: metrics and log variables', () => {
  const base = { JWT_SECRET: 'x'.repeat(32) };
  it('reads METRICS_TOKEN, METRICS_PORT and LOG_LEVEL (flags win)', () => {
    expect(loadConfig([], { ...base, METRICS_TOKEN: 't0k', METRICS_PORT: '9464', LOG_LEVEL: 'WARN' })).toMatchObject({
      metricsToken: 't0k',
      metricsPort: 9464,
      logLevel: 'warn',
    });
    expect(loadConfig(['--log-level', 'debug', '--metrics-port=9100'], { ...base, LOG_LEVEL: 'error' })).toMatchObject({
      logLevel: 'debug',
      metricsPort: 9100,
    });
  });

  it('refuses an unknown LOG_LEVEL and a METRICS_PORT that is not a port', () => {
    expect(() => loadConfig([], { ...base, LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig([], { ...base, METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });
});
