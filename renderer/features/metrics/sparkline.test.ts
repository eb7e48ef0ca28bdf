import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sparkPaths } from './sparkline.tsx';

test('sparkline: x over the window, y scaled to the peak (SVG y grows down), a gap splits the line', () => {
  assert.deepEqual(sparkPaths([0, 1000, 2000, 3000], [0, 10, null, 5], 0, 3000), ['0.0,21.0 32.0,1.0', '96.0,11.0']);
  // All zero: the line lies on the floor, no division by a zero peak.
  assert.deepEqual(sparkPaths([0, 1000], [0, 0], 0, 1000), ['0.0,21.0 96.0,21.0']);
  assert.deepEqual(sparkPaths([], [], 0, 1000), []);
});

test('sparkline of a long window: at most two points per pixel column, the peak and the floor still drawn', () => {
  const t = Array.from({ length: 3600 }, (_, i) => i * 1000);
  const v = t.map((_, i) => 50 + (i % 10));
  v[1777] = 1000;
  v[2999] = 0;
  const paths = sparkPaths(t, v, 0, 3_599_000);
  assert.equal(paths.length, 1);
  const points = paths[0].split(' ').map((p) => p.split(',').map(Number));
  assert.ok(points.length <= 2 * 96 && points.length >= 150, `${points.length} points`);
  const ys = points.map(([, y]) => y);
  assert.equal(Math.min(...ys), 1, 'the spike reaches the top (the peak scales the line)');
  assert.equal(Math.max(...ys), 21, 'the zero sample reaches the floor');
  assert.deepEqual(points.at(-1), [96, Number((21 - (v[3599] / 1000) * 20).toFixed(1))], 'the newest sample ends the line');
});
