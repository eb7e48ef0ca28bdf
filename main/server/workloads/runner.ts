// Runs the demo workloads (workload.ts) against any cluster the console knows, with a real
// client through the normal protocol: per run one Producer (acks=all) sending at the asked
// rate, and, for a workload with a reader, one Consumer in its own consumer group (it joins,
// is assigned partitions, commits after each fetch and leaves the group on stop), plus, for a
// stream processor (the fraud rule, the page-view windows), a Producer writing what it derives to its output topic,
// at least once: what it read is committed independently of its sends. The runner
// owns every client's lifecycle: start creates the `demo.` topic if missing (RF min(3, brokers)),
// joins the group, then produces; stop ends the producer, lets the group read to the end (a few
// seconds at most, so its lag is 0 after a clean stop) and closes both; stopAll runs on shutdown.
// Nothing a client does can throw into the console: errors are counted and the last one kept.
// Writing to a cluster other than the bundled one needs `confirmRemote` (the UI warns first).
// Rate: the shared send loop (pace.ts), the messages due sent together about every 100 ms; a
// send that takes longer does not build a backlog beyond one second's worth.
// A workload may make its messages from what the cluster's metrics collector saw last (the
// metrics workload: deps.metrics); a message it has not got yet (null) is simply not sent.
import { randomBytes } from 'node:crypto';
import { Consumer, type MessagesStream, Producer, stringDeserializers } from '@platformatic/kafka';
import {
  WORKLOAD_NAMES,
  WorkloadNameSchema,
  type WorkloadName,
  type WorkloadStart,
  type WorkloadStats,
} from '../../contract/workloads.ts';
import { type ClusterConfig, toClientOptions } from '../../kafka/cluster-config.ts';
import type { KafkaConnection } from '../../kafka/connection.ts';
import { ensureTopic } from '../../kafka/ensure-topic.ts';
import { ConsoleError, toErrorBody } from '../../kafka/errors.ts';
import { LATEST, listOffsets, pkey } from '../../kafka/offsets.ts';
import { WORKLOADS } from './index.ts';
import { pace } from './pace.ts';
import { RateMeter } from './rate-meter.ts';
import type { DemoMessage, LatestMetrics, Workload, WorkloadEnv, WorkloadReader } from './workload.ts';

const TICK_MS = 100;
const RETRY_MS = 500;
/** Longest a stop waits for the group to read what was produced. */
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
  consumed: number;
  errors: number;
  sentRate: RateMeter;
  consumedRate: RateMeter;
  errorRate: RateMeter;
  lastError: string | null;
  stopping: boolean;
  reader: WorkloadReader | null;
  /** Next offset the group will read, per partition. */
  positions: Map<number, bigint>;
  consumer: Consumer<string, string, string, string> | null;
  stream: MessagesStream<string, string, string, string> | null;
  /** A stream processor's producer, writing what the reader derives to the output topic. */
  processor: Producer | null;
  /** The processor's sends, one after the other. */
  processing: Promise<void>;
  close: Promise<void> | null;
  produced: Promise<void>;
}

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
    return {
      name,
      title: w.title,
      description: w.description,
      topic: w.topic,
      group: w.reader?.group ?? null,
      outputTopic: w.reader?.output ?? null,
      state: r?.state ?? 'idle',
      rate: r?.rate ?? null,
      startedAt: r?.startedAt ?? null,
      sent: r?.sent ?? 0,
      consumed: r?.consumed ?? 0,
      errors: r?.errors ?? 0,
      sentPerSec: live ? r.sentRate.perSecond(now) : 0,
      consumedPerSec: live ? r.consumedRate.perSecond(now) : 0,
      errorsPerSec: live ? r.errorRate.perSecond(now) : 0,
      summary: r?.reader?.summary(now) ?? null,
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
      consumed: 0,
      errors: 0,
      sentRate: new RateMeter(now),
      consumedRate: new RateMeter(now),
      errorRate: new RateMeter(now),
      lastError: null,
      stopping: false,
      reader: workload.reader?.create() ?? null,
      positions: new Map(),
      consumer: null,
      stream: null,
      processor: null,
      processing: Promise.resolve(),
      close: null,
      produced: Promise.resolve(),
    };
    this.#runs.set(key, run);
    try {
      const brokers = (await conn.clusterView([])).brokers.filter((b) => b.up).length;
      const replicas = Math.max(1, Math.min(3, brokers));
      for (const topic of [workload.topic, workload.reader?.output].filter((t): t is string => t !== undefined))
        await ensureTopic(conn, { topic, partitions: workload.partitions, replicas });
      if (workload.reader) await this.#startConsumer(run, workload.reader.group);
      // A stop asked for while the group was joining wins.
      if (run.stopping) {
        await this.#closeConsumer(run);
        run.state = 'stopped';
        return this.stats(clusterId, req.name);
      }
      run.state = 'running';
      // Rates count from the first send, not from the topic creation and group join before it.
      const from = Date.now();
      run.sentRate = new RateMeter(from);
      run.consumedRate = new RateMeter(from);
      run.errorRate = new RateMeter(from);
      run.produced = this.#produce(run);
      this.#log(run, `started at ${run.rate} msg/s`);
      return this.stats(clusterId, req.name);
    } catch (e) {
      run.state = 'failed';
      run.lastError = `Cannot start: ${messageOf(e)}`;
      await this.#closeConsumer(run);
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
      await this.#drain(r);
      await this.#closeConsumer(r);
      r.state = 'stopped';
      this.#log(r, `stopped after ${r.sent} sent, ${r.consumed} consumed, ${r.errors} errors`);
    })();
    return r.close;
  }

  async #startConsumer(run: Run, group: string): Promise<void> {
    const consumer = new Consumer({
      ...toClientOptions(run.config, `samsa-demo-${run.workload.name}-reader`),
      groupId: group,
      deserializers: stringDeserializers,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTime: 500,
    });
    run.consumer = consumer;
    const stream = await consumer.consume({
      topics: [run.workload.topic],
      // Where the group left off; a new group starts at the end (it joins before anything is produced).
      mode: 'committed',
      fallbackMode: 'latest',
      autocommit: true,
    });
    run.stream = stream;
    stream.on('data', (m) => {
      run.consumed++;
      run.consumedRate.add(1);
      run.positions.set(m.partition, m.offset + 1n);
      let value: unknown = m.value;
      try {
        value = JSON.parse(m.value);
      } catch {
        // Not JSON (another producer's bytes): the reader sees the text.
      }
      const derived = run.reader?.read(m.key ?? null, value, Number(m.timestamp));
      if (derived && derived.length > 0) this.#process(run, derived);
    });
    stream.on('error', (e: unknown) => this.#failed(run, e));
  }

  /** The stream first (it commits what it read), then the consumer, which leaves the group; then the processor's last sends. */
  async #closeConsumer(run: Run): Promise<void> {
    await run.stream?.close().catch((e: unknown) => this.#failed(run, e));
    await run.consumer?.close().catch((e: unknown) => this.#failed(run, e));
    await run.processing;
    await run.processor?.close().catch(() => {});
  }

  /** Writes what a stream processor derived to the workload's output topic (after the sends before it). */
  #process(run: Run, derived: DemoMessage[]): void {
    const topic = run.workload.reader?.output;
    if (!topic) return;
    run.processor ??= new Producer({
      ...toClientOptions(run.config, `samsa-demo-${run.workload.name}-processor`),
      autocreateTopics: false,
      acks: -1,
    });
    const processor = run.processor;
    const messages = derived.map((m) => ({
      topic,
      key: Buffer.from(m.key),
      value: Buffer.from(JSON.stringify(m.value)),
    }));
    run.processing = run.processing.then(() =>
      processor.send({ messages, acks: -1 }).then(
        () => undefined,
        (e: unknown) => this.#failed(run, e, messages.length),
      ),
    );
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

  /** Waits (at most DRAIN_MS) until the group has read every partition to its end. */
  async #drain(run: Run): Promise<void> {
    if (!run.consumer) return;
    const { topic, partitions } = run.workload;
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
          return end === 0n || (run.positions.get(p) ?? -1n) >= end;
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
