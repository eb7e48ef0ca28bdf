// The scenarios built on the producer lab, headless on a real 3-node cluster with the console
// beside it: each check seen failing before its action and passing after (runChecked). Durability:
// acks=0/1/all through a real kill -9 of a leader, every acknowledged acks=all record read back;
// min.insync.replicas=3 with the node down refuses acks=all (NOT_ENOUGH_REPLICAS) and takes acks=1;
// the restart brings every ISR back. Throughput: records per request, bytes on disk against bytes
// produced, and linger's latency, as the lab and the cluster report them. Reset deletes only the
// scenario's topics and leaves every node running.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertResetDeletesOnlyOwn, learnConsole, runChecked } from './learn-testing.ts';
import { durability } from './scenarios/durability.ts';
import { throughput } from './scenarios/throughput.ts';

const STEP_MS = 90_000;

describe('learn: durability and throughput with the producer lab on a real 3-node cluster', () => {
  const ctx = learnConsole();

  test(
    'durability: acks=all loses nothing through a kill, min.insync.replicas=3 refuses acks=all and takes acks=1',
    { timeout: 360_000 },
    async () => {
      const seen = await runChecked(durability, ctx, { timeoutMs: STEP_MS });
      assert.match(seen.get('count')!.observed, /acks=all: (\d+) acknowledged, \1 found, lost 0\.$/);
      assert.match(
        seen.get('refused')!.observed,
        /acks=all, min ISR 3 \(acks=all\): \d+ sent, 0 acknowledged, \d+ failed \([^)]*NOT_ENOUGH_REPLICAS/,
      );
      assert.match(
        seen.get('refused')!.observed,
        /acks=1, min ISR 3 \(acks=1\): \d+ sent, [1-9]\d* acknowledged, 0 failed, lost 0\.$/,
      );
      await assertResetDeletesOnlyOwn(durability, ctx);
      const s = await ctx.api('clusterState', { clusterId: ctx.clusterId });
      assert.deepEqual(
        s.nodes.map((n) => n.state),
        ['running', 'running', 'running'],
      );
    },
  );

  test(
    'throughput: batches mean fewer requests per record, lz4 fewer bytes on disk, linger costs latency',
    { timeout: 240_000 },
    async () => {
      const seen = await runChecked(throughput, ctx, { timeoutMs: STEP_MS });
      assert.match(
        seen.get('requests')!.observed,
        /one per request (\d+) requests for \1 records; 64 KB batches \d+ requests for \d+ records \(65 per request\)/,
      );
      await assertResetDeletesOnlyOwn(throughput, ctx);
    },
  );
});
