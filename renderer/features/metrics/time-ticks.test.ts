import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeTicks } from './time-ticks.ts';

const M = 60_000;

test('time ticks: a few round local times inside the window', () => {
  const end = new Date(2026, 0, 2, 12, 34, 56, 789).getTime();
  const hour = timeTicks(end - 60 * M, end, 7);
  assert.ok(hour.length >= 3 && hour.length <= 7, `${hour.length} ticks`);
  for (const t of hour) {
    assert.ok(t >= end - 60 * M && t <= end);
    const d = new Date(t);
    assert.equal(d.getSeconds() + d.getMilliseconds(), 0);
    assert.equal(d.getMinutes() % 10, 0, 'an hour in at most 7 ticks: every 10 min');
  }
  const minute = timeTicks(end - M, end, 6);
  assert.deepEqual(
    minute.map((t) => new Date(t).getSeconds()),
    [0, 15, 30, 45],
  );
  const day = timeTicks(end - 24 * 60 * M, end, 6);
  assert.ok(day.every((t) => new Date(t).getMinutes() === 0 && new Date(t).getHours() % 6 === 0));
  assert.deepEqual(timeTicks(end, end, 5), []);
});
