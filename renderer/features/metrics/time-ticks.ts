// The time axis' ticks, chosen here rather than by recharts: for a number x axis recharts takes
// every row's time as a tick candidate and measures each candidate's label text to space them
// (for the axis and again for the grid), which on an hour of points costs more than drawing
// the lines. Given explicitly, a handful of round wall-clock times (every 10 s, 1 min, 15 min,
// 3 h ... in local time) is all it looks at, and they stay put while the window slides.

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const STEPS = [
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  M,
  2 * M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  24 * H,
];

/** Round local times in [t0, t1], at most `maxTicks` (at least 2) of them. */
export function timeTicks(t0: number, t1: number, maxTicks: number): number[] {
  if (!(t1 > t0)) return [];
  const most = Math.max(2, Math.floor(maxTicks));
  const step = STEPS.find((s) => (t1 - t0) / s < most) ?? STEPS.at(-1)!;
  // Local midnight and local round hours: shift by the zone's offset (ms east of UTC).
  const zone = -new Date(t0).getTimezoneOffset() * M;
  const ticks: number[] = [];
  for (let t = Math.ceil((t0 + zone) / step) * step - zone; t <= t1; t += step) ticks.push(t);
  return ticks;
}
