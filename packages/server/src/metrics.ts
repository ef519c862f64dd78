/** Counters, gauges and one latency histogram, exposed in the Prometheus text format at `GET /metrics`. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, number>();
  private readonly bucketsMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];
  private readonly latency = new Array<number>(this.bucketsMs.length + 1).fill(0);
  private latencySumMs = 0;
  private latencyCount = 0;

  /** Adds `by` (@default 1) to counter `name{labels}`. */
  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = seriesKey(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  /** Adds `delta` to gauge `name{labels}`. */
  gauge(name: string, labels: Record<string, string>, delta: number): void {
    const key = seriesKey(name, labels);
    this.gauges.set(key, (this.gauges.get(key) ?? 0) + delta);
  }

  /** Records one send's latency (received → stored and broadcast), in ms. */
  observeSendLatency(ms: number): void {
    let i = this.bucketsMs.findIndex((b) => ms <= b);
    if (i < 0) i = this.bucketsMs.length;
    this.latency[i] = (this.latency[i] ?? 0) + 1;
    this.latencySumMs += ms;
    this.latencyCount += 1;
  }

  /** The current value of a counter or gauge (tests and health). */
  value(name: string, labels: Record<string, string> = {}): number {
    const key = seriesKey(name, labels);
    return this.counters.get(key) ?? this.gauges.get(key) ?? 0;
  }

  /** Prometheus exposition text. */
  render(): string {
    const lines: string[] = [];
    for (const [k, v] of this.counters) lines.push(`${k} ${v}`);
    for (const [k, v] of this.gauges) lines.push(`${k} ${v}`);
    let cumulative = 0;
    this.bucketsMs.forEach((b, i) => {
      cumulative += this.latency[i] ?? 0;
      lines.push(`groupbuy_send_latency_ms_bucket{le="${b}"} ${cumulative}`);
    });
    lines.push(`groupbuy_send_latency_ms_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`groupbuy_send_latency_ms_sum ${this.latencySumMs}`);
    lines.push(`groupbuy_send_latency_ms_count ${this.latencyCount}`);
    return lines.join('\n') + '\n';
  }
}

function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}
