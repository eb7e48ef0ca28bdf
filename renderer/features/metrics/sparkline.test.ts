import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sparkPaths } from './sparkline.tsx';

test('sparkline: x over the window, y scaled to the peak (SVG y grows down), a gap splits the line', () => {
  assert.deepEqual(sparkPaths([0, 1000, 2000, 3000], [0, 10, null, 5], 0, 3000), ['0.0,21.0 32.0,1.0', '96.0,11.0']);
  // All zero: the line lies on the floor, no division by a zero peak.
  assert.deepEqual(sparkPaths([0, 1000], [0, 0], 0, 1000), ['0.0,21.0 96.0,21.0']);
  assert.deepEqual(sparkPaths([], [], 0, 1000), []);
});
