import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LATENCY_BUCKETS_S, METRIC_FAMILIES, Metrics, familyOf, type MetricLabels, type MetricsSink } from './metrics.js';

/**
 * The server's {@link MetricsSink}: a prom-client Registry of its own (not the global one: several servers run
 * in one test process) with the default process and Node metrics (event-loop lag, GC, heap, CPU, fds) and
 * every family of {@link METRIC_FAMILIES} registered up front, so a scrape shows each from the start.
 */
export class PromMetricsSink implements MetricsSink {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly gauges = new Map<string, Gauge>();
  private readonly histograms = new Map<string, Histogram>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    for (const [name, family] of Object.entries(METRIC_FAMILIES)) {
      if (family.type === 'counter') this.counter(name, {});
      else if (family.type === 'histogram') this.histogram(name);
      else this.gaugeOf(name, {});
    }
  }

  /** The Content-Type of the registry's text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Adds `by` to a counter. */
  inc(name: string, labels: MetricLabels, by: number): void {
    safely(() => this.counter(name, labels).inc(known(name, 'counter', labels), by));
  }

  /** Adds `delta` to a gauge. */
  gauge(name: string, labels: MetricLabels, delta: number): void {
    safely(() => this.gaugeOf(name, labels).inc(known(name, 'gauge', labels), delta));
  }

  /** Records one histogram observation. */
  observe(name: string, labels: MetricLabels, value: number): void {
    safely(() => this.histogram(name).observe(known(name, 'histogram', labels), value));
  }

  /** A gauge computed at scrape time. */
  collect(name: string, read: () => number): void {
    this.registry.removeSingleMetric(name);
    this.gauges.delete(name);
    const family = familyOf(name, 'gauge', {});
    new Gauge({
      name,
      help: family.help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** The exposition text. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  private counter(name: string, labels: MetricLabels): Counter {
    let c = this.counters.get(name);
    if (!c) {
      const family = familyOf(name, 'counter', labels);
      c = new Counter({ name, help: family.help, labelNames: [...family.labels], registers: [this.registry] });
      this.counters.set(name, c);
    }
    return c;
  }

  private gaugeOf(name: string, labels: MetricLabels): Gauge {
    let g = this.gauges.get(name);
    if (!g) {
      const family = familyOf(name, 'gauge', labels);
      g = new Gauge({ name, help: family.help, labelNames: [...family.labels], registers: [this.registry] });
      this.gauges.set(name, g);
    }
    return g;
  }

  private histogram(name: string): Histogram {
    let h = this.histograms.get(name);
    if (!h) {
      const family = familyOf(name, 'histogram', {});
      h = new Histogram({
        name,
        help: family.help,
        labelNames: [...family.labels],
        buckets: [...LATENCY_BUCKETS_S],
        registers: [this.registry],
      });
      this.histograms.set(name, h);
    }
    return h;
  }
}

// prom-client throws on a label its family did not declare (or a name reused with another type); a metric
// call must never break a send, so an undeclared label is dropped and anything else is skipped.
function safely(record: () => void): void {
  try {
    record();
  } catch {
    // the in-memory value (Metrics.value) was still recorded
  }
}

function known(name: string, type: 'counter' | 'gauge' | 'histogram', labels: MetricLabels): MetricLabels {
  const allowed = familyOf(name, type, labels).labels;
  const out: MetricLabels = {};
  for (const [k, v] of Object.entries(labels)) if (allowed.includes(k)) out[k] = v;
  return out;
}

/** A {@link Metrics} backed by a fresh {@link PromMetricsSink} (the reference server's). */
export function createPromMetrics(): { metrics: Metrics; sink: PromMetricsSink } {
  const sink = new PromMetricsSink();
  return { metrics: new Metrics(sink), sink };
}
