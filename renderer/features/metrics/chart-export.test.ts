import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportName, seriesCsv } from './chart-export.ts';

test('CSV: a header with units, one numeric row per point, gaps empty, odd labels quoted', () => {
  const csv = seriesCsv(
    [1_700_000_000_000, 1_700_000_001_000],
    [
      { label: 'node 1', v: [12.5, null] },
      { label: 'a,"b"', v: [0, 3] },
    ],
    'B/s',
  );
  assert.equal(
    csv,
    'timestamp_ms,time,node 1 (B/s),"a,""b"" (B/s)"\r\n' + '1700000000000,2023-11-14T22:13:20.000Z,12.5,0\r\n' + '1700000001000,2023-11-14T22:13:21.000Z,,3\r\n',
  );
  assert.equal(seriesCsv([], [], 'ms'), 'timestamp_ms,time\r\n');
});

test('export names are safe file names', () => {
  assert.equal(exportName('node-cpu', 1_700_000_000_000, 'png'), 'samsa-node-cpu-2023-11-14T22-13-20.png');
});
