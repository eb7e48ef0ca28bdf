// Axis and tooltip text of the metrics charts: decimal byte units as dashboards use (MB/s),
// compact counts, latencies in ms, local wall-clock times.
import type { Unit } from '../../../main/contract/index.ts';

const compact = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, notation: 'compact' });
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

function bytes(v: number): string {
  let i = 0;
  let x = Math.abs(v);
  while (x >= 1000 && i < BYTE_UNITS.length - 1) {
    x /= 1000;
    i++;
  }
  return `${v < 0 ? '-' : ''}${x.toFixed(x < 10 && i > 0 ? 1 : 0)} ${BYTE_UNITS[i]}`;
}

export function formatUnit(v: number, unit: Unit): string {
  switch (unit) {
    case 'B/s':
      return `${bytes(v)}/s`;
    case 'B':
      return bytes(v);
    case 'ms':
      return `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;
    case '%':
      return `${v.toFixed(v < 10 ? 1 : 0)} %`;
    case 'msg/s':
    case 'req/s':
      return `${compact.format(v)} ${unit}`;
    case 'count':
      return compact.format(v);
  }
}

/** Axis ticks: the unit is in the chart's header, so only what tells the scale. */
export function formatAxis(v: number, unit: Unit): string {
  if (unit === 'B/s' || unit === 'B') return bytes(v);
  if (unit === 'ms' || unit === '%') return formatUnit(v, unit);
  return compact.format(v);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatClock(ms: number, seconds = false): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds || d.getSeconds() !== 0 ? `:${pad(d.getSeconds())}` : ''}`;
}
