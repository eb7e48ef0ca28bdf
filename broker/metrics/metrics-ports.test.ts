import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { freePortBlock } from '../testing/ports.ts';
import { chooseMetricsBase, METRICS_PORT_OFFSET } from './metrics-ports.ts';

function occupy(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

test('the default block sits 100 above the Kafka ports; a taken one moves on and says so', async () => {
  const kafka = await freePortBlock(3 + METRICS_PORT_OFFSET + 6);
  const said: string[] = [];
  assert.equal(await chooseMetricsBase(undefined, kafka, 3, (l) => said.push(l)), kafka + 100);
  assert.equal(said.length, 0);
  const blocker = await occupy(kafka + 101);
  try {
    const base = await chooseMetricsBase(undefined, kafka, 3, (l) => said.push(l));
    assert.ok(base > kafka + 101, `moved past the taken port, got ${base}`);
    assert.deepEqual(said, [`metrics port ${kafka + 100} is taken; using ${base}-${base + 2} instead`]);
  } finally {
    blocker.close();
  }
});

test('--metrics-port is honoured, and refused when it is no port or overlaps the Kafka ports', async () => {
  const kafka = await freePortBlock(20);
  assert.equal(await chooseMetricsBase(String(kafka + 10), kafka, 3, () => {}), kafka + 10);
  await assert.rejects(chooseMetricsBase('abc', kafka, 3, () => {}), /--metrics-port must be a TCP port/);
  await assert.rejects(chooseMetricsBase('65534', kafka, 3, () => {}), /room for 3 node/);
  await assert.rejects(chooseMetricsBase(String(kafka + 1), kafka, 3, () => {}), /overlaps the Kafka ports/);
});
