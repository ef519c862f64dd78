import { svg, type SVGTemplateResult } from 'lit';

/** One reading of a series: when (ISO-8601) and the value then. */
export interface SparkPoint {
  /** When (ISO-8601). */
  readonly at: string;
  /** The value from then on (participants). */
  readonly count: number;
}

/** The drawing's size in SVG user units (the viewBox below); the element scales it to its box. */
const WIDTH = 240;
const HEIGHT = 48;
/** Room for the stroke and the end dot inside the box. */
const PAD = 3;

/**
 * The polyline's points for `data`, one per reading, oldest first: x by time (evenly spaced when every
 * reading has the same time), y by value on a 0…`max` scale (the deal's cap), so a full deal touches the top.
 */
export function sparklinePoints(data: readonly SparkPoint[], max: number): Array<[number, number]> {
  const times = data.map((p) => Date.parse(p.at));
  const first = times[0] ?? 0;
  const span = (times[times.length - 1] ?? first) - first;
  const top = Math.max(max, ...data.map((p) => p.count), 1);
  const round = (n: number): number => Math.round(n * 10) / 10;
  return data.map((p, i) => {
    const share = span > 0 ? ((times[i] ?? first) - first) / span : data.length > 1 ? i / (data.length - 1) : 1;
    return [round(PAD + share * (WIDTH - 2 * PAD)), round(HEIGHT - PAD - (p.count / top) * (HEIGHT - 2 * PAD))];
  });
}

/**
 * An inline SVG sparkline of `data` (participants over time) with a dot on the latest reading. It is one
 * image to assistive technology: `label` says what the line shows, in words.
 */
export function renderSparkline(data: readonly SparkPoint[], max: number, label: string): SVGTemplateResult {
  const points = sparklinePoints(data, max);
  const last = points[points.length - 1];
  return svg`<svg class="sparkline" part="sparkline" role="img" aria-label=${label} viewBox="0 0 240 48">
    <line class="spark-cap" x1=${PAD} x2=${WIDTH - PAD} y1=${PAD} y2=${PAD}></line>
    <polyline class="spark-line" points=${points.map(([x, y]) => `${x},${y}`).join(' ')}></polyline>
    ${last ? svg`<circle class="spark-dot" cx=${last[0]} cy=${last[1]} r="2.5"></circle>` : null}
  </svg>`;
}
