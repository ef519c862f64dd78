// Baseline: bare ws broadcast whose writes are batched per event-loop turn (each socket corked on its first
// frame of a turn, uncorked on setImmediate), as the reference server batches its own: the stronger baseline.
process.env.BENCH_BATCH = '1';
await import('./bare-ws.mjs');
