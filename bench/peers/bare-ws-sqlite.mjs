// Baseline: bare ws broadcast + one better-sqlite3 insert per message (see bare-ws.mjs).
process.env.BENCH_SQLITE = '1';
await import('./bare-ws.mjs');
