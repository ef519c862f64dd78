/** The kind, help text and label names of one metric family (what `# HELP` and `# TYPE` say). */
export interface MetricFamily {
  /** Prometheus type. */
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** One line for `# HELP`. */
  readonly help: string;
  /** Every label a call site may pass; others are dropped. */
  readonly labels: readonly string[];
}

/** Latency histogram buckets, in seconds (1 ms … 2.5 s). */
export const LATENCY_BUCKETS_S = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

/**
 * Every family the server exports, name → type, help and labels: one row per metric (add yours here with a
 * one-line edit). A name missing from this table is still exported, as an untyped-help counter/gauge.
 */
export const METRIC_FAMILIES = {
  groupbuy_connections: { type: 'gauge', help: 'Open realtime connections on this instance.', labels: ['transport'] },
  groupbuy_connections_opened_total: { type: 'counter', help: 'Realtime connections opened.', labels: ['transport'] },
  groupbuy_subscriptions: { type: 'gauge', help: 'Room subscriptions held on this instance.', labels: [] },
  groupbuy_rooms: { type: 'gauge', help: 'Rooms with a subscriber on this instance.', labels: [] },
  groupbuy_messages_sent_total: {
    type: 'counter',
    help: 'Chat sends: result ok, or error with its ErrorCode.',
    labels: ['result', 'code'],
  },
  groupbuy_fanout_deliveries_total: { type: 'counter', help: 'Live messages handed to a subscriber on this instance.', labels: [] },
  groupbuy_slow_consumer_cuts_total: { type: 'counter', help: 'Connections closed for too much unsent data.', labels: ['transport'] },
  groupbuy_bus_publish_errors_total: { type: 'counter', help: 'Bus publishes that failed (fan-out refilled from the store).', labels: [] },
  groupbuy_rate_limit_hits_total: {
    type: 'counter',
    help: 'Sends (kind=send) or frames (kind=frame) refused by a rate limit.',
    labels: ['kind'],
  },
  groupbuy_rate_limit_fallback_total: {
    type: 'counter',
    help: 'Sends limited by this instance alone while Redis was unreachable.',
    labels: [],
  },
  groupbuy_auth_failures_total: {
    type: 'counter',
    help: 'Requests and connections refused for a bad or missing token.',
    labels: ['transport'],
  },
  groupbuy_anonymous_feeds_refused_total: { type: 'counter', help: 'Signed-out SSE feeds refused by the caps.', labels: [] },
  groupbuy_http_requests_total: { type: 'counter', help: 'HTTP requests answered, by method and status.', labels: ['method', 'status'] },
  groupbuy_room_views_total: { type: 'counter', help: 'First views of a room by a signed-in user (issue 12 funnel).', labels: [] },
  groupbuy_joins_total: { type: 'counter', help: 'Joins, via an invite link or direct.', labels: ['via'] },
  groupbuy_invites_created_total: { type: 'counter', help: 'Invite codes created (one per user and room).', labels: [] },
  groupbuy_send_to_stored_seconds: {
    type: 'histogram',
    help: 'From a send received to its message stored and published, in seconds.',
    labels: [],
  },
  groupbuy_stored_to_delivered_seconds: {
    type: 'histogram',
    help: 'From a message stored to its live delivery to a subscriber, in seconds.',
    labels: [],
  },
} as const satisfies Record<string, MetricFamily>;

/** The label set of one series. */
export type MetricLabels = Record<string, string>;

/** The family of `name`: its row in {@link METRIC_FAMILIES}, or a default for an unlisted name. */
export function familyOf(name: string, fallback: MetricFamily['type'], labels: MetricLabels): MetricFamily {
  const row: MetricFamily | undefined = (METRIC_FAMILIES as Record<string, MetricFamily>)[name];
  return row ?? { type: fallback, help: name.replace(/_/g, ' '), labels: Object.keys(labels) };
}

/** Where the metrics go besides the in-memory values: the prom-client registry (metrics-prom.ts) in the server. */
export interface MetricsSink {
  /** Adds `by` to a counter. */
  inc(name: string, labels: MetricLabels, by: number): void;
  /** Adds `delta` to a gauge. */
  gauge(name: string, labels: MetricLabels, delta: number): void;
  /** Records one observation of a histogram. */
  observe(name: string, labels: MetricLabels, value: number): void;
  /** A gauge read at scrape time. */
  collect(name: string, read: () => number): void;
  /** The exposition text. */
  render(): Promise<string>;
  /** The Content-Type of {@link render}'s text. */
  readonly contentType: string;
}

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

/**
 * Counters, gauges and histograms behind one small API every layer calls (`inc`, `gauge`, `observe`). It
 * keeps the values in memory (for {@link value} and the in-process core, where it renders the text itself)
 * and, in the server, forwards each to a {@link MetricsSink}: prom-client with the process metrics.
 */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, number>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly collectors = new Map<string, () => number>();

  /** `sink` @default none: render() writes the text from the in-memory values. */
  constructor(private readonly sink?: MetricsSink) {}

  /** Adds `by` (@default 1) to counter `name{labels}`. */
  inc(name: string, labels: MetricLabels = {}, by = 1): void {
    const key = seriesKey(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
    this.sink?.inc(name, labels, by);
  }

  /** Adds `delta` to gauge `name{labels}`. */
  gauge(name: string, labels: MetricLabels, delta: number): void {
    const key = seriesKey(name, labels);
    this.gauges.set(key, (this.gauges.get(key) ?? 0) + delta);
    this.sink?.gauge(name, labels, delta);
  }

  /** Records one observation (seconds, for the latency families) of histogram `name`. */
  observe(name: string, value: number, labels: MetricLabels = {}): void {
    const key = seriesKey(name, labels);
    const h = this.histograms.get(key) ?? { counts: new Array<number>(LATENCY_BUCKETS_S.length).fill(0), sum: 0, count: 0 };
    LATENCY_BUCKETS_S.forEach((b, i) => {
      if (value <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += value;
    h.count += 1;
    this.histograms.set(key, h);
    this.sink?.observe(name, labels, value);
  }

  /** Records one send's latency from received to stored, in ms (`groupbuy_send_to_stored_seconds`). */
  observeSendLatency(ms: number): void {
    this.observe('groupbuy_send_to_stored_seconds', ms / 1000);
  }

  /** Records one live delivery's latency from stored to handed to the subscriber, in ms. */
  observeDeliveryLatency(ms: number): void {
    this.observe('groupbuy_stored_to_delivered_seconds', Math.max(0, ms) / 1000);
  }

  /** Registers gauge `name` as read by `read()` at each scrape (cheap reads only: it runs per scrape). */
  collect(name: string, read: () => number): void {
    this.collectors.set(name, read);
    this.sink?.collect(name, read);
  }

  /** The current value of a counter or gauge (tests and health); a histogram's count. */
  value(name: string, labels: MetricLabels = {}): number {
    const key = seriesKey(name, labels);
    return this.counters.get(key) ?? this.gauges.get(key) ?? this.histograms.get(key)?.count ?? this.collectors.get(name)?.() ?? 0;
  }

  /** The Content-Type of {@link render}'s text. */
  get contentType(): string {
    return this.sink?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8';
  }

  /** Prometheus exposition text, with `# HELP` and `# TYPE` on every family. */
  render(): Promise<string> {
    return this.sink ? this.sink.render() : Promise.resolve(this.renderText());
  }

  private renderText(): string {
    const byFamily = new Map<string, { family: MetricFamily; lines: string[] }>();
    const add = (name: string, type: MetricFamily['type'], labels: MetricLabels, line: string) => {
      const entry = byFamily.get(name) ?? { family: familyOf(name, type, labels), lines: [] };
      entry.lines.push(line);
      byFamily.set(name, entry);
    };
    for (const [key, v] of this.counters) add(nameOf(key), 'counter', labelsOf(key), `${key} ${v}`);
    for (const [key, v] of this.gauges) add(nameOf(key), 'gauge', labelsOf(key), `${key} ${v}`);
    for (const [name, read] of this.collectors) add(name, 'gauge', {}, `${name} ${read()}`);
    for (const [key, h] of this.histograms) {
      const name = nameOf(key);
      const labels = labelsOf(key);
      LATENCY_BUCKETS_S.forEach((b, i) =>
        add(name, 'histogram', labels, `${seriesKey(`${name}_bucket`, { ...labels, le: String(b) })} ${h.counts[i] ?? 0}`),
      );
      add(name, 'histogram', labels, `${seriesKey(`${name}_bucket`, { ...labels, le: '+Inf' })} ${h.count}`);
      add(name, 'histogram', labels, `${seriesKey(`${name}_sum`, labels)} ${h.sum}`);
      add(name, 'histogram', labels, `${seriesKey(`${name}_count`, labels)} ${h.count}`);
    }
    const out: string[] = [];
    for (const [name, { family, lines }] of byFamily) {
      out.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`, ...lines);
    }
    return out.join('\n') + '\n';
  }
}

// A series key is the exposition form itself (`name{a="x"}`), so the text renderer prints it as it is.
function seriesKey(name: string, labels: MetricLabels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

function nameOf(key: string): string {
  const brace = key.indexOf('{');
  return brace < 0 ? key : key.slice(0, brace);
}

function labelsOf(key: string): MetricLabels {
  const out: MetricLabels = {};
  for (const m of key.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) if (m[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  return out;
}
