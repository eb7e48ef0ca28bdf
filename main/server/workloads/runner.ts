// Runs the demo workloads (workload.ts) against any cluster the console knows, with a real
// client through the normal protocol: per run one Producer (acks=all) sending at the asked
// rate, and, for a workload with a reader, one Consumer in its own consumer group (it joins,
// is assigned partitions, commits after each fetch and leaves the group on stop), plus, for a
// stream processor (the fraud rule, the page-view windows), a Producer writing what it derives to its output topic,
// at least once: what it read is committed independently of its sends. A pipeline workload has
// further stages (workload.next), each one more group of the same kind reading the output topic
// of the stage before; every stage is a member joined through group-reader.ts. A stage whose
// reader is the exactly-once copier (exactly-once.ts) runs that loop instead: its own read_committed
// consumer and transactional producer, offsets committed in the transaction (decision 0029). The runner
// owns every client's lifecycle: start creates the `demo.` topic if missing (RF min(3, brokers)),
// joins the groups, then produces; stop ends the producer, lets each stage in turn read to the end
// of its input and finish its sends (a few seconds at most per stage, so lag is 0 after a clean
// stop and a pipeline's last topic has everything the first got) and closes all; stopAll runs on shutdown.
// Nothing a client does can throw into the console: errors are counted and the last one kept.
// Writing to a cluster other than the bundled one needs `confirmRemote` (the UI warns first).
// Rate: the shared send loop (pace.ts), the messages due sent together about every 100 ms; a
// send that takes longer does not build a backlog beyond one second's worth.
// A workload may make its messages from what the cluster's metrics collector saw last (the
// metrics workload: deps.metrics); a message it has not got yet (null) is simply not sent.
import { randomBytes } from 'node:crypto';
import { Producer } from '@platformatic/kafka';
import {
  WORKLOAD_NAMES,
  WorkloadNameSchema,
  type WorkloadName,
  type WorkloadStageStats,
  type WorkloadStart,
  type WorkloadStats,
} from '../../contract/workloads.ts';
import { type ClusterConfig, toClientOptions } from '../../kafka/cluster-config.ts';
import type { KafkaConnection } from '../../kafka/connection.ts';
import { ensureTopic } from '../../kafka/ensure-topic.ts';
import { ConsoleError, toErrorBody } from '../../kafka/errors.ts';
import { LATEST, listOffsets, pkey } from '../../kafka/offsets.ts';
import { ExactlyOnceLoop } from './exactly-once.ts';
import { GroupReader } from './group-reader.ts';
import { WORKLOADS } from './index.ts';
import { pace } from './pace.ts';
import { RateMeter } from './rate-meter.ts';
import type { DemoMessage, LatestMetrics, Workload, WorkloadEnv, WorkloadReader, WorkloadStage } from './workload.ts';

const TICK_MS = 100;
const RETRY_MS = 500;
/** Longest a stop waits for a stage's group to read what was produced. */
const DRAIN_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const messageOf = (e: unknown) => toErrorBody(e).body.error.message;

export interface WorkloadRunnerDeps {
  connection(clusterId: string): KafkaConnection;
  /** The cluster's metrics collector (the console's MetricsHub), for a workload that publishes them. */
  metrics?(clusterId: string): { latest(): LatestMetrics | null };
  log?: (line: string) => void;
}

interface Run {
  workload: Workload;
  runId: string;
  env: WorkloadEnv;
  clusterId: string;
  config: ClusterConfig;
  state: WorkloadStats['state'];
  rate: number;
  startedAt: number;
  sent: number;
  errors: number;
  sentRate: RateMeter;
  errorRate: RateMeter;
  lastError: string | null;
  stopping: boolean;
  /** The reader's group first, then a pipeline's later stages. */
  stages: StageRun[];
  close: Promise<void> | null;
  produced: Promise<void>;
}

interface StageRun {
  def: WorkloadStage;
  input: string;
  reader: WorkloadReader;
  member: GroupReader | null;
  /** Next offset the group will read, per partition. */
  positions: Map<number, bigint>;
  consumed: number;
  consumedRate: RateMeter;
  written: number;
  writtenRate: RateMeter;
  /** A stream processor's producer, writing what the reader derives to the output topic. */
  processor: Producer | null;
  /** The processor's sends, one after the other. */
  processing: Promise<void>;
  /** What was derived while the send before was in flight: the next send takes all of it. */
  queued: { topic: string; key: Buffer; value: Buffer }[];
}

const stagesOf = (w: Workload): WorkloadStage[] => (w.reader ? [w.reader, ...(w.next ?? [])] : []);

/** Each stage with the topic it reads: the workload's, then the output of the stage before. */
function inputsOf(w: Workload): { def: WorkloadStage; input: string }[] {
  let input = w.topic;
  return stagesOf(w).map((def) => {
    const mine = input;
    input = def.output ?? '';
    return { def, input: mine };
  });
}

const newStage = (def: WorkloadStage, input: string, now: number): StageRun => ({
  def,
  input,
  reader: def.create(),
  member: null,
  positions: new Map(),
  consumed: 0,
  consumedRate: new RateMeter(now),
  written: 0,
  writtenRate: new RateMeter(now),
  processor: null,
  processing: Promise.resolve(),
  queued: [],
});

const runKey = (clusterId: string, name: string) => `${clusterId}\u0000${name}`;

export class WorkloadRunner {
  readonly #runs = new Map<string, Run>();

  constructor(private readonly deps: WorkloadRunnerDeps) {}

  list(clusterId: string): WorkloadStats[] {
    return WORKLOAD_NAMES.map((name) => this.stats(clusterId, name));
  }

  stats(clusterId: string, name: WorkloadName): WorkloadStats {
    const w = WORKLOADS[name];
    const r = this.#runs.get(runKey(clusterId, name));
    const now = Date.now();
    const live = r?.state === 'running' || r?.state === 'stopping';
    // The workload's stages, with the numbers of the current (or last) run where there is one.
    const stages: WorkloadStageStats[] = inputsOf(w).map(({ def, input }, i) => {
      const st = r?.stages[i];
      return {
        group: def.group,
        input,
        output: def.output ?? null,
        consumed: st?.consumed ?? 0,
        consumedPerSec: live && st ? st.consumedRate.perSecond(now) : 0,
        written: st?.written ?? 0,
        writtenPerSec: live && st ? st.writtenRate.perSecond(now) : 0,
        summary: st?.reader.summary(now) ?? '',
      };
    });
    return {
      name,
      title: w.title,
      description: w.description,
      topic: w.topic,
      group: w.reader?.group ?? null,
      outputTopic: stagesOf(w).at(-1)?.output ?? null,
      state: r?.state ?? 'idle',
      rate: r?.rate ?? null,
      startedAt: r?.startedAt ?? null,
      sent: r?.sent ?? 0,
      consumed: stages[0]?.consumed ?? 0,
      errors: r?.errors ?? 0,
      sentPerSec: live ? r.sentRate.perSecond(now) : 0,
      consumedPerSec: stages[0]?.consumedPerSec ?? 0,
      errorsPerSec: live ? r.errorRate.perSecond(now) : 0,
      stages,
      summary: r && stages.length > 0 ? stages.map((st) => st.summary).join(' · ') : null,
      lastError: r?.lastError ?? null,
    };
  }

  /** Starts a workload, or changes the rate of one already running. */
  async start(clusterId: string, req: Required<WorkloadStart>): Promise<WorkloadStats> {
    const key = runKey(clusterId, req.name);
    const existing = this.#runs.get(key);
    if (existing?.state === 'running') {
      existing.rate = req.rate;
      return this.stats(clusterId, req.name);
    }
    if (existing?.state === 'starting' || existing?.state === 'stopping')
      throw new ConsoleError(
        'INVALID_STATE',
        `The ${req.name} workload is ${existing.state}; try again in a moment.`,
        409,
      );
    const conn = this.deps.connection(clusterId);
    const config = conn.config;
    if (!config.bundled && !req.confirmRemote)
      throw new ConsoleError(
        'CONFIRM_REMOTE',
        `"${config.name}" is not the bundled cluster: the ${req.name} workload would write to topic ${WORKLOADS[req.name].topic} there. Confirm to start it anyway.`,
        409,
      );
    const workload = WORKLOADS[req.name];
    const metrics = this.deps.metrics;
    if (workload.usesMetrics && !metrics)
      throw new ConsoleError('INVALID_STATE', `The ${req.name} workload needs the console's metrics collector, which this runner has not got.`, 409);
    const collector = workload.usesMetrics ? metrics?.(clusterId) : undefined;
    const now = Date.now();
    const run: Run = {
      workload,
      runId: randomBytes(4).toString('hex'),
      env: { metrics: () => collector?.latest() ?? null },
      clusterId,
      config,
      state: 'starting',
      rate: req.rate,
      startedAt: now,
      sent: 0,
      errors: 0,
      sentRate: new RateMeter(now),
      errorRate: new RateMeter(now),
      lastError: null,
      stopping: false,
      stages: [],
      close: null,
      produced: Promise.resolve(),
    };
    run.stages = inputsOf(workload).map(({ def, input }) => newStage(def, input, now));
    this.#runs.set(key, run);
    try {
      const brokers = (await conn.clusterView([])).brokers.filter((b) => b.up).length;
      const replicas = Math.max(1, Math.min(3, brokers));
      for (const topic of [workload.topic, ...run.stages.map((st) => st.def.output)].filter((t): t is string => t !== undefined))
        await ensureTopic(conn, { topic, partitions: workload.partitions, replicas });
      for (const st of run.stages) await this.#join(run, st);
      // A stop asked for while the groups were joining wins.
      if (run.stopping) {
        await this.#closeStages(run);
        run.state = 'stopped';
        return this.stats(clusterId, req.name);
      }
      run.state = 'running';
      // Rates count from the first send, not from the topic creation and group join before it.
      const from = Date.now();
      run.sentRate = new RateMeter(from);
      run.errorRate = new RateMeter(from);
      for (const st of run.stages) {
        st.consumedRate = new RateMeter(from);
        st.writtenRate = new RateMeter(from);
      }
      run.produced = this.#produce(run);
      this.#log(run, `started at ${run.rate} msg/s`);
      return this.stats(clusterId, req.name);
    } catch (e) {
      run.state = 'failed';
      run.lastError = `Cannot start: ${messageOf(e)}`;
      await this.#closeStages(run);
      throw e;
    }
  }

  async stop(clusterId: string, name: string): Promise<WorkloadStats> {
    const parsed = WorkloadNameSchema.safeParse(name);
    if (!parsed.success)
      throw new ConsoleError(
        'NOT_FOUND',
        `There is no workload named "${name}"; there are ${WORKLOAD_NAMES.join(', ')}.`,
        404,
      );
    const r = this.#runs.get(runKey(clusterId, parsed.data));
    if (r?.state === 'starting') r.stopping = true;
    if (r && (r.state === 'running' || r.state === 'stopping')) await this.#stop(r);
    return this.stats(clusterId, parsed.data);
  }

  /** Stops every running workload of every cluster (console shutdown). */
  async stopAll(): Promise<void> {
    await this.#stopWhere(() => true);
  }

  /** Stops the running workloads of one cluster (it is being removed) and forgets their runs. */
  async stopCluster(clusterId: string): Promise<void> {
    await this.#stopWhere((r) => r.clusterId === clusterId);
    for (const name of WORKLOAD_NAMES) this.#runs.delete(runKey(clusterId, name));
  }

  async #stopWhere(pick: (r: Run) => boolean): Promise<void> {
    const live = [...this.#runs.values()].filter((r) => pick(r) && (r.state === 'running' || r.state === 'stopping'));
    await Promise.all(live.map((r) => this.#stop(r)));
  }

  #stop(r: Run): Promise<void> {
    r.close ??= (async () => {
      r.stopping = true;
      r.state = 'stopping';
      await r.produced;
      // In pipeline order: a stage's input is complete once the stage before has drained and sent.
      for (const st of r.stages) {
        await this.#drain(r, st);
        await st.processing;
      }
      await this.#closeStages(r);
      r.state = 'stopped';
      this.#log(r, `stopped after ${r.sent} sent, ${r.stages.map((st) => `${st.consumed} consumed by ${st.def.group}`).join(', ') || 'none consumed'}, ${r.errors} errors`);
    })();
    return r.close;
  }

  async #join(run: Run, st: StageRun): Promise<void> {
    if (st.reader instanceof ExactlyOnceLoop) {
      // It counts an input as consumed once the transaction that copied it committed.
      st.reader.start(run.config, {
        committed: (inputs, positions) => {
          st.consumed += inputs;
          st.consumedRate.add(inputs);
          st.written += inputs;
          st.writtenRate.add(inputs);
          for (const [p, next] of positions) st.positions.set(p, next);
        },
        failed: (e) => this.#failed(run, e),
      });
      await st.reader.ready;
      return;
    }
    st.member = await GroupReader.join(run.config, {
      clientId: `samsa-demo-${run.workload.name}-${st === run.stages[0] ? 'reader' : st.def.group}`,
      group: st.def.group,
      topic: st.input,
      // Where the group left off; a new group starts at the end (it joins before anything is produced).
      fallback: 'latest',
      onRecord: (m) => {
        st.consumed++;
        st.consumedRate.add(1);
        st.positions.set(m.partition, m.offset + 1n);
        const derived = st.reader.read(m.key, m.value, m.timestamp);
        if (derived && derived.length > 0) this.#process(run, st, derived);
      },
      onError: (e) => this.#failed(run, e),
    });
  }

  /** Every stage's member leaves its group (see GroupReader.leave), then its processor's last sends end. */
  async #closeStages(run: Run): Promise<void> {
    await Promise.all(
      run.stages.map(async (st) => {
        if (st.reader instanceof ExactlyOnceLoop) await st.reader.stop();
        await st.member?.leave((e) => this.#failed(run, e));
        await st.processing;
        await st.processor?.close().catch(() => {});
      }),
    );
  }

  /** Writes what a stage derived to its output topic, after the sends before it: what is derived
   *  while a send is in flight goes in one send after it (in order), so a slow acks=all round
   *  trip batches the stage's writes instead of queueing one send per record read. */
  #process(run: Run, st: StageRun, derived: DemoMessage[]): void {
    const topic = st.def.output;
    if (!topic) return;
    st.processor ??= new Producer({
      ...toClientOptions(run.config, `samsa-demo-${run.workload.name}-processor${st === run.stages[0] ? '' : `-${st.def.group}`}`),
      autocreateTopics: false,
      acks: -1,
    });
    const processor = st.processor;
    const waiting = st.queued.length > 0;
    st.queued.push(...derived.map((m) => ({ topic, key: Buffer.from(m.key), value: Buffer.from(JSON.stringify(m.value)) })));
    if (waiting) return; // the send already chained takes these too
    st.processing = st.processing.then(() => {
      const messages = st.queued.splice(0);
      return processor.send({ messages, acks: -1 }).then(
        () => {
          st.written += messages.length;
          st.writtenRate.add(messages.length);
        },
        (e: unknown) => this.#failed(run, e, messages.length),
      );
    });
  }

  async #produce(run: Run): Promise<void> {
    const producer = new Producer({
      ...toClientOptions(run.config, `samsa-demo-${run.workload.name}`),
      autocreateTopics: false,
      acks: -1,
    });
    try {
      await pace({
        rate: () => run.rate,
        stopping: () => run.stopping,
        maxBatch: Infinity,
        lingerMs: TICK_MS,
        inFlight: 1,
        retryMs: RETRY_MS,
        send: async (due) => {
          const now = Date.now();
          const messages = Array.from({ length: due }, (_, i) => run.workload.message(run.sent + i, now, run.runId, run.env))
            .filter((m): m is DemoMessage => m !== null)
            .map((m) => ({ topic: run.workload.topic, key: Buffer.from(m.key), value: Buffer.from(JSON.stringify(m.value)) }));
          const n = messages.length;
          if (n === 0) return true;
          try {
            // acks per send: the client's send() takes acks=1 unless told, whatever the constructor said.
            await producer.send({ messages, acks: -1 });
            run.sent += n;
            run.sentRate.add(n);
            return true;
          } catch (e) {
            this.#failed(run, e, n);
            producer.clearMetadata();
            return false;
          }
        },
      });
    } finally {
      await producer.close().catch(() => {});
    }
  }

  /** Waits (at most DRAIN_MS) until the stage's group has read every partition of its input to its end. */
  async #drain(run: Run, st: StageRun): Promise<void> {
    if (!st.member && !(st.reader instanceof ExactlyOnceLoop)) return;
    const topic = st.input;
    const { partitions } = run.workload;
    const conn = this.deps.connection(run.clusterId);
    const deadline = Date.now() + DRAIN_MS;
    try {
      const ends = await listOffsets(
        conn,
        Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
        LATEST,
      );
      const caughtUp = () =>
        Array.from({ length: partitions }, (_, p) => p).every((p) => {
          const end = BigInt(ends.get(pkey(topic, p)) ?? 0);
          return end === 0n || (st.positions.get(p) ?? -1n) >= end;
        });
      while (!caughtUp() && Date.now() < deadline) await sleep(50);
      // Its commit after the last fetch is on its way: close() waits for a commit in flight.
    } catch (e) {
      this.#failed(run, e);
    }
  }

  #failed(run: Run, e: unknown, count = 1): void {
    run.errors += count;
    run.errorRate.add(count);
    run.lastError = messageOf(e);
  }

  #log(run: Run, line: string): void {
    this.deps.log?.(`workload ${run.workload.name} on ${run.config.name}: ${line}`);
  }
}
