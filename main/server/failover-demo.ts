// The failover demo's workload (issue 11), run by the console server on the bundled cluster: a
// producer writes one numbered value to each partition of a demo topic (RF 3), one send at a
// time, and a consumer reads the topic back; the counters are computed by matching the values
// (failover-demo-ledger.ts). Two modes:
// - safe: topic min.insync.replicas=2, unclean.leader.election.enable=false; idempotent
//   producer, acks=all. A kill -9 of any one node must lose nothing.
// - unsafe: acks=1 (the leader alone acknowledges, so the producer is not idempotent: Kafka's
//   idempotence needs acks=all) and unclean.leader.election.enable=true. A value acknowledged
//   by a leader that dies before its followers copied it is gone; an out-of-sync replica may
//   become leader. Loss is shown when it happens, never simulated.
// It survives kills: the producer resends a value that was not acknowledged with the same
// idempotent sequence (after dropping its cached leaders) for about 30 s, then counts it failed
// and starts a new producer; the consumer retries each partition until it has a
// leader again; nothing it does can throw into the console. Stop ends the producer, lets the
// consumer catch up (at most a few seconds) and closes every client.
// Deviations from the brief, named: the consumer is a group-less fetch loop (the console's own
// reader, as the live tail uses), not a consumer group: after a kill it goes to the new leader
// without a rebalance. When its position is beyond the new leader's log end (after an unclean
// election) it moves to the log end, as a Kafka consumer with auto.offset.reset=latest does; the
// acknowledged values it skips that way count as lost, because this consumer never reads them.
import { randomBytes } from 'node:crypto';
import { Producer } from '@platformatic/kafka';
import { DEMO_TOPICS, type FailoverDemoKill, type FailoverDemoMode, type FailoverDemoStats } from '../contract/failover-demo.ts';
import { type ClusterConfig, toClientOptions } from '../kafka/cluster-config.ts';
import { KafkaConnection } from '../kafka/connection.ts';
import { ensureTopic } from '../kafka/ensure-topic.ts';
import { ConsoleError, toErrorBody } from '../kafka/errors.ts';
import { LATEST, listOffsets, pkey } from '../kafka/offsets.ts';
import { readRaw } from '../kafka/records.ts';
import { alterTopicConfigs } from '../kafka/topics.ts';
import { pushChanges } from './cluster-control.ts';
import { Ledger } from './failover-demo-ledger.ts';

export { DEMO_TOPICS };
const PARTITIONS = 3;
const TOPIC_CONFIGS: Record<FailoverDemoMode, Record<string, string>> = {
  safe: { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' },
  unsafe: { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'true' },
};
/** Pause between sends: a steady few hundred values a second, light on a shared laptop. */
const SEND_EVERY_MS = 10;
const RETRY_MS = 250;
/** The ledger's bitsets hold this many values (8 MB each): hours of the demo, then it stops itself. */
const MAX_SEQ = 1 << 26;
const DRAIN_MS = 5000;
const KEEP_KILLS = 10;
/** Attempts per value before it counts as failed: about 30 s, well past a broker session timeout and an election. */
const MAX_ATTEMPTS = 100;

export interface FailoverDemoDeps {
  /** The cluster to run on (read at each start). */
  config(): ClusterConfig;
  /** The current leader of a partition, -1 when it has none. */
  leaderOf(topic: string, partition: number): Promise<number> | number;
  /** kill -9 of a node; resolves once the signal is delivered. */
  kill(nodeId: number): Promise<void>;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const messageOf = (e: unknown) => toErrorBody(e).body.error.message;

interface ProducedOffset {
  partition: number;
  offset: bigint;
}

/** The library attaches what a partly failed send did write to its error (`error.produced`). */
function producedOffsets(e: unknown): ProducedOffset[] {
  if (typeof e !== 'object' || e === null || !('produced' in e)) return [];
  const produced = e.produced;
  if (typeof produced !== 'object' || produced === null || !('offsets' in produced) || !Array.isArray(produced.offsets)) return [];
  return produced.offsets.filter((o): o is ProducedOffset => typeof o?.partition === 'number' && typeof o?.offset === 'bigint');
}

interface Run {
  mode: FailoverDemoMode;
  topic: string;
  runId: string;
  prefix: string;
  startedAt: number;
  conn: KafkaConnection;
  ledger: Ledger;
  stopping: boolean;
  sent: number;
  failed: number;
  lastAckAt: number | null;
  longestAckPauseMs: number;
  kills: FailoverDemoKill[];
  producerError: string | null;
  consumerError: string | null;
  done: Promise<void>;
}

export class FailoverDemo {
  #run: Run | null = null;
  #state: FailoverDemoStats['state'] = 'idle';
  #error: string | null = null;
  #listeners = new Set<() => void>();

  constructor(private readonly deps: FailoverDemoDeps) {}

  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(): void {
    for (const fn of this.#listeners) fn();
  }

  #log(line: string): void {
    this.deps.log?.(`failover demo: ${line}`);
  }

  stats(): FailoverDemoStats {
    const r = this.#run;
    const running = this.#state === 'running';
    const since = r?.lastAckAt != null && running ? Date.now() - r.lastAckAt : null;
    return {
      state: this.#state,
      mode: r?.mode ?? null,
      topic: r?.topic ?? null,
      runId: r?.runId ?? null,
      startedAt: r?.startedAt ?? null,
      sent: r?.sent ?? 0,
      acknowledged: r?.ledger.acknowledged ?? 0,
      failed: r?.failed ?? 0,
      consumed: r?.ledger.consumedCount ?? 0,
      lost: r?.ledger.lost ?? 0,
      duplicates: r?.ledger.duplicates ?? 0,
      // A pause still going on counts too: a stalled producer must not look healthy.
      longestAckPauseMs: Math.max(r?.longestAckPauseMs ?? 0, since ?? 0),
      sinceLastAckMs: since,
      kills: r?.kills ?? [],
      producerError: r?.producerError ?? null,
      consumerError: r?.consumerError ?? null,
      error: this.#error,
    };
  }

  async start(mode: FailoverDemoMode): Promise<FailoverDemoStats> {
    if (this.#state === 'starting' || this.#state === 'running' || this.#state === 'stopping')
      throw new ConsoleError('INVALID_STATE', `The failover demo is already ${this.#state}; stop it first.`, 409);
    this.#state = 'starting';
    this.#error = null;
    this.#changed();
    const conn = new KafkaConnection(this.deps.config());
    const topic = DEMO_TOPICS[mode];
    try {
      await this.#ensureTopic(conn, mode, topic);
      // Read from the current end: an earlier run's values are not this run's.
      const ends = await listOffsets(conn, Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition })), LATEST);
      const next = Array.from({ length: PARTITIONS }, (_, p) => ends.get(pkey(topic, p)) ?? 0);
      const runId = randomBytes(4).toString('hex');
      const run: Run = {
        mode,
        topic,
        runId,
        prefix: `${runId}:`,
        startedAt: Date.now(),
        conn,
        ledger: new Ledger(),
        stopping: false,
        sent: 0,
        failed: 0,
        lastAckAt: null,
        longestAckPauseMs: 0,
        kills: [],
        producerError: null,
        consumerError: null,
        done: Promise.resolve(),
      };
      this.#run = run;
      this.#state = 'running';
      const produced = this.#produce(run);
      run.done = Promise.all([produced, this.#consume(run, next, produced)]).then(() => undefined);
      this.#changed();
      return this.stats();
    } catch (e) {
      await conn.close();
      this.#state = 'failed';
      this.#error = `Cannot start the demo: ${messageOf(e)}`;
      this.#changed();
      throw e;
    }
  }

  async stop(): Promise<FailoverDemoStats> {
    const r = this.#run;
    if (!r || (this.#state !== 'running' && this.#state !== 'stopping')) return this.stats();
    if (!r.stopping) {
      r.stopping = true;
      this.#state = 'stopping';
      this.#changed();
    }
    await r.done;
    await r.conn.close();
    this.#state = 'stopped';
    this.#changed();
    return this.stats();
  }

  /** kill -9 of the leader of partition 0 of the demo topic; the demo measures how long until its next acknowledgement. */
  async killLeader(): Promise<{ nodeId: number }> {
    const r = this.#run;
    if (!r || this.#state !== 'running') throw new ConsoleError('INVALID_STATE', 'Start the failover demo first.', 409);
    const leader = await this.deps.leaderOf(r.topic, 0);
    if (leader < 0) throw new ConsoleError('LEADER_NOT_AVAILABLE', `Partition ${r.topic}-0 has no leader right now: nothing to kill.`, 409);
    await this.deps.kill(leader);
    r.kills = [...r.kills, { nodeId: leader, at: Date.now(), ackAfterMs: null }].slice(-KEEP_KILLS);
    this.#log(`killed node ${leader}, the leader of ${r.topic}-0`);
    this.#changed();
    return { nodeId: leader };
  }

  async #ensureTopic(conn: KafkaConnection, mode: FailoverDemoMode, topic: string): Promise<void> {
    const configs = TOPIC_CONFIGS[mode];
    const created = await ensureTopic(conn, { topic, partitions: PARTITIONS, replicas: 3, configs });
    if (!created) await alterTopicConfigs(conn, topic, configs, []);
  }

  #newProducer(run: Run): Producer {
    const safe = run.mode === 'safe';
    return new Producer({
      ...toClientOptions(this.deps.config(), `samsa-failover-demo-${run.mode}`),
      autocreateTopics: false,
      idempotent: safe,
      acks: safe ? -1 : 1,
      // The library retries against the leader it first looked up, dead or not; the demo
      // retries itself instead, after dropping the cached metadata (#produce).
      retries: 3,
      retryDelay: 250,
    });
  }

  /** One value per partition per round, resent (same producer, so the same idempotent sequence) until acknowledged. */
  async #produce(run: Run): Promise<void> {
    let producer = this.#newProducer(run);
    let seq = 0;
    try {
      while (!run.stopping) {
        if (seq + PARTITIONS > MAX_SEQ) {
          this.#error = `Stopped producing after ${MAX_SEQ} values (the demo's bookkeeping limit).`;
          break;
        }
        const first = seq;
        seq += PARTITIONS;
        run.sent += PARTITIONS;
        let left = Array.from({ length: PARTITIONS }, (_, p) => p);
        for (let attempt = 1; left.length > 0; attempt++) {
          const attemptAt = Date.now();
          const messages = left.map((p) => ({ topic: run.topic, partition: p, value: Buffer.from(run.prefix + (first + p)) }));
          try {
            const res = await producer.send({ messages });
            this.#acked(run, first, res.offsets ?? [], attemptAt);
            left = [];
            run.producerError = null;
          } catch (e) {
            // A send to several leaders fails as a whole; the partitions that were written say so.
            const written = producedOffsets(e);
            this.#acked(run, first, written, attemptAt);
            left = left.filter((p) => !written.some((o) => o.partition === p));
            run.producerError = messageOf(e);
            producer.clearMetadata();
            if (left.length > 0 && (run.stopping || attempt >= MAX_ATTEMPTS)) {
              run.failed += left.length;
              this.#log(`gave up on ${left.length} value(s): ${run.producerError}`);
              // Its sequence numbers no longer match the log's: a new producer starts afresh.
              await producer.close().catch(() => {});
              producer = this.#newProducer(run);
              break;
            }
            if (left.length > 0) await sleep(RETRY_MS);
          }
          this.#changed();
        }
        await sleep(SEND_EVERY_MS);
      }
    } finally {
      run.stopping = true;
      await producer.close().catch(() => {});
    }
  }

  #acked(run: Run, first: number, offsets: ProducedOffset[], attemptAt: number): void {
    if (offsets.length === 0) return;
    const now = Date.now();
    for (const o of offsets) run.ledger.ack(first + o.partition, o.partition, Number(o.offset));
    if (run.lastAckAt !== null) run.longestAckPauseMs = Math.max(run.longestAckPauseMs, now - run.lastAckAt);
    run.lastAckAt = now;
    // An attempt already under way at the kill may have been answered before the node died.
    for (const k of run.kills) if (k.ackAfterMs === null && attemptAt >= k.at) k.ackAfterMs = now - k.at;
  }

  /** Reads until the producer has finished and every value it had acknowledged is read (or DRAIN_MS more have passed). */
  async #consume(run: Run, next: number[], produced: Promise<void>): Promise<void> {
    let producing = true;
    void produced.finally(() => (producing = false));
    let deadline = Infinity;
    while (Date.now() < deadline) {
      if (!producing && deadline === Infinity) deadline = Date.now() + DRAIN_MS;
      const problems: string[] = [];
      let read = 0;
      await Promise.all(
        next.map(async (offset, p) => {
          try {
            const r = await readRaw(run.conn, run.topic, p, offset, { maxWaitMs: 200 });
            for (const rec of r.records) {
              const v = rec.value?.toString('latin1');
              if (v?.startsWith(run.prefix)) run.ledger.read(Number(v.slice(run.prefix.length)));
            }
            read += r.records.length;
            next[p] = Math.max(next[p], r.nextOffset);
          } catch (e) {
            const { body } = toErrorBody(e);
            problems.push(`partition ${p}: ${body.error.message}`);
            if (body.error.code === 'OFFSET_OUT_OF_RANGE') next[p] = await this.#logEnd(run, p, next[p]);
          }
          run.ledger.passed(p, next[p]);
        }),
      );
      run.consumerError = problems.length ? problems.join(' ') : null;
      if (read > 0 || problems.length) this.#changed();
      if (!producing && run.ledger.unread === 0) break;
      if (problems.length) await sleep(RETRY_MS);
    }
  }

  async #logEnd(run: Run, partition: number, fallback: number): Promise<number> {
    try {
      const ends = await listOffsets(run.conn, [{ topic: run.topic, partition }], LATEST);
      return ends.get(pkey(run.topic, partition)) ?? fallback;
    } catch {
      return fallback;
    }
  }
}

const PUSH_EVERY_MS = 200;

/** The demo's counters for a stream socket: now, then at most every 200 ms while they change. */
export const streamDemoStats = (demo: FailoverDemo, signal: AbortSignal, send: (s: FailoverDemoStats) => void): Promise<void> =>
  pushChanges((fn) => demo.onChange(fn), () => demo.stats(), signal, send, PUSH_EVERY_MS);
