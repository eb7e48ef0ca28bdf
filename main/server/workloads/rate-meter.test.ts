import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateMeter } from './rate-meter.ts';

test('the rate is what was added over the window, then falls to 0 once nothing comes', () => {
  const m = new RateMeter(0, 3000);
  for (let t = 0; t < 6000; t += 100) m.add(5, t); // 50 a second
  assert.equal(m.perSecond(5950), 50);
  assert.equal(m.perSecond(7450), 25);
  assert.equal(m.perSecond(9001), 0);
});

test('before the window has filled, the rate is over the time since the start', () => {
  const m = new RateMeter(1000, 3000);
  m.add(10, 1200);
  m.add(10, 1400);
  assert.equal(m.perSecond(1500), 40);
  assert.equal(m.perSecond(1000), 0);
});
