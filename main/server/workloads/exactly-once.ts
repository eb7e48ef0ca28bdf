// Exactly once: a consume-transform-produce loop with Kafka transactions. The workload writes
// numbered inputs to demo.eos-input; the loop reads them (read_committed) in its group
// demo.exactly-once.copier and, per batch, in ONE transaction: writes one output per input to
// demo.eos-output (same key and partition) and commits the group's offsets (AddOffsetsToTxn +
// TxnOffsetCommit), then EndTxn(commit). A failed transaction is never retried in place: the
// session ends (abort tried, clients closed, what it had read dropped) and a new one starts with
// a fresh producer under the same transactional.id, whose InitProducerId fences the old epoch and
// aborts its open transaction, and a fresh consumer that resumes from the committed offsets. So
// a read_committed reader of the output sees each input exactly once; read_uncommitted also
// sees the aborted copies.
// Client workarounds (@platformatic/kafka 1.35.0, decision 0029; the broker behaves as Kafka):
// - InitProducerId is sent with producerId 0 / epoch 0 unless -1n / -1 are passed explicitly:
//   Kafka (and Samsa) then answer PRODUCER_FENCED for a transactional id that already has a
//   producer id (every session after the first), so the first beginTransaction passes -1n / -1.
// - The producer caches its transaction coordinator forever: after the coordinator dies, each
//   AddPartitionsToTxn / EndTxn goes to the dead node until its retries are spent
//   ("addPartitionsToTransaction failed 6 times", every attempt a connection error; it never
//   sends FindCoordinator again, as Kafka's client does on a disconnect). The new session's new
//   producer looks the coordinator up again.
// - Its consumer (and TxnOffsetCommit) connect to the cached group coordinator through the
//   metadata's broker list: once that node is gone from the metadata it threw a TypeError out
//   of a socket callback, which no caller could catch; main/kafka/client-guard.ts now turns it
//   into a retriable error, which ends the session like any other. The learn scenario still
//   kills a node that coordinates neither the group nor the transaction (see exactly-once.ts of
//   the scenarios), the case measured there.
import { Consumer, type Message, type MessagesStream, Producer, stringDeserializers } from '@platformatic/kafka';
import { type ClusterConfig, toClientOptions } from '../../kafka/cluster-config.ts';
import type { DemoMessage, Workload, WorkloadReader } from './workload.ts';

export const EOS_INPUT_TOPIC = 'demo.eos-input';
export const EOS_OUTPUT_TOPIC = 'demo.eos-output';
export const EOS_GROUP = 'demo.exactly-once.copier';
export const EOS_TRANSACTIONAL_ID = 'demo.exactly-once.copier';
/** Most inputs copied in one transaction. */
const MAX_BATCH = 200;
const IDLE_MS = 50;
/** Pause between a failed session and the next. */
const RESTART_MS = 1000;
/** Longest a close of a client that may talk to a dead node is waited for. */
const CLOSE_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), sleep(CLOSE_MS)]);

/** An output of the copier: the input's fields, where the input was, and n². */
export function transform(partition: number, offset: bigint, key: string | null, value: string): DemoMessage {
  let v: unknown = value;
  try {
    v = JSON.parse(value);
  } catch {
    // another producer's bytes: copied as text
  }
  const n = typeof v === 'object' && v !== null && 'n' in v && typeof v.n === 'number' ? v.n : null;
  return { key: key ?? '', value: { input: v, from: `${partition}:${offset}`, square: n === null ? null : n * n } };
}

export interface EosProgress {
  /** Inputs whose transaction committed. */
  copied: number;
  transactions: number;
  aborted: number;
  sessions: number;
}

export interface EosLoopHooks {
  /** After a commit: the inputs it covered, and the next offset to read per partition. */
  committed(inputs: number, positions: Map<number, bigint>): void;
  failed(e: unknown): void;
}

/** The copier: sessions one after the other until stop(); its summary is the Workloads screen's. */
export class ExactlyOnceLoop implements WorkloadReader {
  readonly progress: EosProgress = { copied: 0, transactions: 0, aborted: 0, sessions: 0 };
  #stopping = false;
  #running: Promise<void> | null = null;
  /** Resolves once the first session reads. */
  readonly ready: Promise<void>;
  #setReady!: () => void;

  #config: ClusterConfig | null = null;
  #hooks: EosLoopHooks = { committed: () => {}, failed: () => {} };

  constructor(private readonly topics = { input: EOS_INPUT_TOPIC, output: EOS_OUTPUT_TOPIC, group: EOS_GROUP, transactionalId: EOS_TRANSACTIONAL_ID, maxBatch: MAX_BATCH }) {
    this.ready = new Promise((r) => (this.#setReady = r));
  }

  read(): void {
    // The loop reads by itself (the runner's consumer is not used).
  }

  summary(): string {
    const p = this.progress;
    return `${p.copied} inputs copied to ${this.topics.output} in ${p.transactions} committed transaction(s) · ${p.aborted} aborted · ${p.sessions} session(s) of the loop`;
  }

  /** Runs sessions against the cluster until stop(); `ready` resolves once the first one reads (or failed). */
  start(config: ClusterConfig, hooks: EosLoopHooks): void {
    this.#config = config;
    this.#hooks = hooks;
    this.#running ??= (async () => {
      while (!this.#stopping) {
        try {
          await this.#session();
        } catch (e) {
          this.#hooks.failed(e);
          this.#setReady();
          if (!this.#stopping) await sleep(RESTART_MS);
        }
      }
    })();
  }

  /** Ends the loop after the transaction in flight. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }

  async #session(): Promise<void> {
    this.progress.sessions++;
    const { input, output, group, transactionalId } = this.topics;
    if (!this.#config) throw new Error('the copier was not started');
    const base = toClientOptions(this.#config, 'samsa-demo-exactly-once');
    const producer = new Producer({ ...base, idempotent: true, transactionalId, acks: -1, autocreateTopics: false });
    let consumer: Consumer<string, string, string, string> | null = null;
    let stream: MessagesStream<string, string, string, string> | null = null;
    let txn: Awaited<ReturnType<Producer['beginTransaction']>> | null = null;
    const queue: Message<string, string, string, string>[] = [];
    try {
      // InitProducerId first: it fences the last session's producer and aborts its open
      // transaction, so the offsets the consumer resumes from are settled.
      txn = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
      consumer = new Consumer({ ...base, groupId: group, deserializers: stringDeserializers, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTime: 200 });
      stream = await consumer.consume({ topics: [input], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
      // A rebalance ends the session: the stream then rewinds to the committed offsets, and what
      // was read before it belongs to the old generation (its TxnOffsetCommit would be fenced).
      const generation = consumer.generationId;
      const failedStream = new Promise<never>((_, reject) => {
        stream!.once('error', reject);
        consumer!.on('consumer:group:join', () => {
          if (consumer!.generationId !== generation) reject(new Error(`the group ${group} rebalanced (generation ${consumer!.generationId}): this session ends, the next resumes from the committed offsets`));
        });
      });
      failedStream.catch(() => undefined);
      // Within a session the stream only goes forward; an offset it gives again is dropped.
      const next = new Map<number, bigint>();
      stream.on('data', (m) => {
        if (m.offset < (next.get(m.partition) ?? -1n)) return;
        next.set(m.partition, m.offset + 1n);
        queue.push(m);
      });
      this.#setReady();
      while (!this.#stopping) {
        if (queue.length === 0) {
          await Promise.race([sleep(IDLE_MS), failedStream]);
          continue;
        }
        const batch = queue.splice(0, this.topics.maxBatch);
        const last = new Map<number, Message<string, string, string, string>>();
        for (const m of batch) last.set(m.partition, m);
        const messages = batch.map((m) => {
          const d = transform(m.partition, m.offset, m.key, m.value);
          return { topic: output, partition: m.partition, key: Buffer.from(d.key), value: Buffer.from(JSON.stringify(d.value)) };
        });
        await Promise.race([
          (async () => {
            await txn!.send({ messages });
            await txn!.addConsumer(consumer!);
            for (const m of last.values()) await txn!.addOffset(m);
          })(),
          failedStream,
        ]);
        // A rebalance or stream error seen by now aborts instead (the race settled with it).
        await Promise.race([failedStream, Promise.resolve()]);
        await txn.commit();
        this.progress.transactions++;
        this.progress.copied += batch.length;
        this.#hooks.committed(batch.length, new Map([...last].map(([p, m]) => [p, m.offset + 1n])));
        txn = await producer.beginTransaction();
      }
    } catch (e) {
      if (txn && !txn.completed) {
        this.progress.aborted++;
        await bounded(txn.abort());
      }
      throw e;
    } finally {
      await bounded(stream?.close() ?? Promise.resolve());
      await bounded(consumer?.close() ?? Promise.resolve());
      await bounded(producer.close());
    }
  }
}

export const exactlyOnce: Workload = {
  name: 'exactly-once',
  title: 'Exactly-once copier',
  description: `Numbered inputs to ${EOS_INPUT_TOPIC}; the "copier" group reads them and, in one transaction per batch, writes each to ${EOS_OUTPUT_TOPIC} and commits its offsets (read_committed sees each input once).`,
  topic: EOS_INPUT_TOPIC,
  partitions: 3,
  message: (n, now, runId) => ({ key: `in-${runId}-${n}`, value: { runId, n, at: now } }),
  // The runner starts the loop (its own consumer and transactional producer) instead of a group reader.
  reader: { group: EOS_GROUP, output: EOS_OUTPUT_TOPIC, create: () => new ExactlyOnceLoop() },
};
