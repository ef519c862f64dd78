// The parser ships no types; this is the shape its README documents (prom2json's).
declare module 'parse-prometheus-text-format' {
  /** One sample of a counter, gauge or untyped family; histograms and summaries carry buckets/quantiles. */
  export interface ParsedSample {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  /** One family: name, `# HELP` text ('' when missing), `# TYPE` upper-cased ('UNTYPED' when missing). */
  export interface ParsedFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: ParsedSample[];
  }
  /** Parses Prometheus exposition text. */
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
