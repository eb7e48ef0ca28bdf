// A topic's in-rate of the last minutes in a table cell: a polyline over the window (a gap
// breaks it), scaled to its own peak, and the newest value as text. Plain SVG: a list of topics
// draws one per row, which a full chart per row would make heavy. Drawn with at most two points
// per pixel column (downsample.ts: each bucket's lowest and highest sample), so a long window
// costs what the 96 px cost and a spike still shows.
import { chartRows, seriesKey } from './downsample.ts';
import { formatUnit } from './metric-format.ts';
import type { Unit } from '../../../main/contract/index.ts';

const W = 96;
const H = 22;

/** SVG polyline point lists, one per run of values without a gap; x over [t0, t1]; at most 2 × W points. */
export function sparkPaths(t: number[], v: (number | null)[], t0: number, t1: number): string[] {
  const rows = chartRows(t, [v], 2 * W, t1 - t0);
  const key = seriesKey(0);
  const peak = Math.max(0, ...rows.map((r) => r[key] ?? 0));
  const span = Math.max(1, t1 - t0);
  const runs: string[][] = [[]];
  rows.forEach((r) => {
    const x = r[key];
    if (x === null) {
      if (runs.at(-1)!.length) runs.push([]);
      return;
    }
    const px = ((r.t - t0) / span) * W;
    const py = H - 1 - (peak > 0 ? (x / peak) * (H - 2) : 0);
    runs.at(-1)!.push(`${px.toFixed(1)},${py.toFixed(1)}`);
  });
  return runs.filter((r) => r.length > 0).map((r) => r.join(' '));
}

export function Sparkline({ label, t, v, windowMs, unit }: { label: string; t: number[]; v: (number | null)[]; windowMs: number; unit: Unit }) {
  const end = t.at(-1) ?? Date.now();
  const last = [...v].reverse().find((x) => x !== null) ?? null;
  const text = last === null ? '—' : formatUnit(last, unit);
  return (
    <span className="sparkline">
      <svg width={W} height={H} role="img" aria-label={`${label}: ${text}`} data-testid="sparkline">
        {sparkPaths(t, v, end - windowMs, end).map((p, i) => (
          <polyline key={i} points={p} fill="none" stroke="var(--accent)" strokeWidth={1.25} />
        ))}
      </svg>
      <span className="muted small">{text}</span>
    </span>
  );
}
