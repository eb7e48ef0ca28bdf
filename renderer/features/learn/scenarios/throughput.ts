// High throughput with the producer lab: three producers as fast as the cluster acknowledges,
// one record per request, 64 KB batches, and 64 KB batches compressed with lz4, then two at a
// fixed rate with linger 0 and linger 50 ms. The checks observe what is real whatever the
// machine's load: records per produce request (the lab's own requests), the bytes the topics
// hold on disk (DescribeLogDirs) against the bytes produced, and that lingering batches hold what
// 50 ms of records makes and cost at least the linger in latency. MB/s is shown, never compared: a timing ratio on a busy laptop is
// noise.
import type { LearnContext, Scenario } from '../scenario.ts';
import { labLive, labStats, producer, recordsPerRequest, runMs, runOf, speed, startLab } from './producer-lab-steps.ts';

const SMALL = 'learn.throughput.small';
const BATCHED = 'learn.throughput.batched';
const LZ4 = 'learn.throughput.lz4';
const LINGER0 = 'learn.throughput.linger0';
const LINGER50 = 'learn.throughput.linger50';
const BATCH_RUN = ['one per request', '64 KB batches', '64 KB lz4'];
const LINGER_RUN = ['linger 0', 'linger 50 ms'];
const RECORD = 1000;
const BATCH = 64 * 1024;
const WORKLOADS = '/workloads';

/** The lab's run of `labels` once it stopped, else null. */
async function stoppedRun(ctx: LearnContext, labels: string[]) {
  const s = await labStats(ctx);
  const run = runOf(s, labels);
  return run && !labLive(s) ? { s, run } : null;
}

export const throughput: Scenario = {
  id: 'throughput',
  title: 'High throughput: batches, linger and compression',
  concept:
    'A producer gets its throughput from batching: many records per request, waiting a little (linger) to fill a batch, and compressing the whole batch.',
  creates: { topics: [SMALL, BATCHED, LZ4, LINGER0, LINGER50], groups: [] },
  steps: [
    {
      id: 'run',
      title: 'Three producers as fast as they can',
      text: `The producer lab runs three producers of ${RECORD} B records for 8 seconds, each as fast as the cluster acknowledges: one record per request, batches of 64 KB, and batches of 64 KB compressed with lz4. Click “Start producer lab” with the rate left empty, or let the app start them, and watch “Acknowledged MB/s per producer”.`,
      target: { screen: WORKLOADS, name: 'producer-lab-start' },
      action: {
        label: 'Run the three producers for 8 s',
        run: (ctx) =>
          startLab(ctx, {
            producers: [
              {
                label: BATCH_RUN[0],
                topic: SMALL,
                acks: 1,
                batchBytes: RECORD,
                lingerMs: 0,
                recordBytes: RECORD,
                rate: null,
              },
              {
                label: BATCH_RUN[1],
                topic: BATCHED,
                acks: 1,
                batchBytes: BATCH,
                lingerMs: 10,
                recordBytes: RECORD,
                rate: null,
              },
              {
                label: BATCH_RUN[2],
                topic: LZ4,
                acks: 1,
                batchBytes: BATCH,
                lingerMs: 10,
                compression: 'lz4',
                recordBytes: RECORD,
                rate: null,
              },
            ],
            durationMs: 8000,
          }),
      },
      check: async (ctx) => {
        const r = await stoppedRun(ctx, BATCH_RUN);
        if (!r)
          return {
            done: false,
            observed: `The producer lab is ${(await labStats(ctx)).state} (waiting for the 8 s run to end).`,
          };
        const ps = BATCH_RUN.map((l) => producer(r.run, l));
        return { done: ps.every((p) => p.acked > 0), observed: ps.map((p) => speed(p, runMs(r.s))).join('; ') + '.' };
      },
    },
    {
      id: 'requests',
      title: 'Fewer requests per record',
      text: 'Every produce request costs a round trip and work on the leader and its followers, whatever it carries. Compare the “Requests” column with “Acknowledged”: one record per request against 65 records of 1000 B in each 64 KB batch.',
      target: { screen: WORKLOADS, name: 'producer-lab-results' },
      action: null,
      check: async (ctx) => {
        const r = await stoppedRun(ctx, BATCH_RUN);
        if (!r) return { done: false, observed: 'Waiting for the three producers’ run to end.' };
        const [small, batched] = BATCH_RUN.map((l) => producer(r.run, l));
        const ratio = (p: typeof small) => `${p.settings.label} ${p.requests} requests for ${p.acked} records`;
        return {
          done: recordsPerRequest(small) === 1 && recordsPerRequest(batched) >= 10 * recordsPerRequest(small),
          observed: `${ratio(small)}; ${ratio(batched)} (${Math.round(recordsPerRequest(batched))} per request).`,
        };
      },
    },
    {
      id: 'compression',
      title: 'Compression: fewer bytes stored',
      text: 'lz4 compresses each batch on the producer, and the broker stores and replicates it as it came. Compare the bytes the topics hold on disk with the bytes produced: the uncompressed topic holds a little more than it was sent, the lz4 one much less.',
      target: { screen: WORKLOADS, name: 'producer-lab-results' },
      action: null,
      check: async (ctx) => {
        const r = await stoppedRun(ctx, BATCH_RUN);
        if (!r) return { done: false, observed: 'Waiting for the three producers’ run to end.' };
        const [, batched, lz4] = BATCH_RUN.map((l) => producer(r.run, l));
        const { topics } = await ctx.api('listTopics', { clusterId: ctx.clusterId });
        const disk = (t: string) => topics.find((x) => x.name === t)?.sizeBytes ?? null;
        const plain = disk(BATCHED);
        const packed = disk(LZ4);
        if (plain === null || packed === null)
          return { done: false, observed: 'The cluster does not say how many bytes the topics hold.' };
        const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
        return {
          done: plain >= batched.ackedBytes && packed * 2 < lz4.ackedBytes,
          observed: `${BATCHED}: ${mb(batched.ackedBytes)} produced, ${mb(plain)} on disk; ${LZ4}: ${mb(lz4.ackedBytes)} produced, ${mb(packed)} on disk.`,
        };
      },
    },
    {
      id: 'linger',
      title: 'Linger: wait a little, send fuller batches',
      text: 'At a steady 500 records a second, a producer with linger 0 sends each record as soon as it is due, and one with linger.ms=50 waits up to 50 ms to fill its batch. Run both for 6 seconds and watch “Ack latency p50 / p99 per producer”: linger buys fuller requests with latency.',
      target: { screen: WORKLOADS, name: 'producer-lab-charts' },
      action: {
        label: 'Run linger 0 and linger 50 ms for 6 s',
        run: (ctx) =>
          startLab(ctx, {
            producers: [
              {
                label: LINGER_RUN[0],
                topic: LINGER0,
                acks: 1,
                batchBytes: BATCH,
                lingerMs: 0,
                recordBytes: RECORD,
                rate: 500,
              },
              {
                label: LINGER_RUN[1],
                topic: LINGER50,
                acks: 1,
                batchBytes: BATCH,
                lingerMs: 50,
                recordBytes: RECORD,
                rate: 500,
              },
            ],
            durationMs: 6000,
          }),
      },
      check: async (ctx) => {
        const r = await stoppedRun(ctx, LINGER_RUN);
        if (!r)
          return {
            done: false,
            observed: `The producer lab is ${(await labStats(ctx)).state} (waiting for the linger run to end).`,
          };
        const [none, lingered] = LINGER_RUN.map((l) => producer(r.run, l));
        return {
          // What linger guarantees whatever the load: a batch waits 50 ms, so it holds about 25 records at 500/s and
          // no acknowledgement comes sooner. (linger 0's figures are shown, not compared: on a busy machine its
          // batches fill up too, from the event loop's stalls.)
          done:
            none.acked > 0 && lingered.acked > 0 && recordsPerRequest(lingered) >= 20 && (lingered.p50Ms ?? 0) >= 50,
          observed: `${speed(none, runMs(r.s))}; ${speed(lingered, runMs(r.s))}.`,
        };
      },
    },
  ],
  cleanup: async (ctx) => {
    if (labLive(await labStats(ctx))) await ctx.api('producerLabStop', { clusterId: ctx.clusterId }, {});
  },
};
