// The transaction coordinator's marker channel (Kafka's TransactionMarkerChannelManager and
// TransactionMarkerRequestCompletionHandler): writes each ended transaction's commit or abort
// marker to the leader of every partition of the transaction with WriteTxnMarkers, one request
// per leader for all markers due there (to this node too, through the same path), and retries
// until each is written. Per partition, as Kafka: NONE (and UNSUPPORTED_FOR_MESSAGE_FORMAT /
// UNSUPPORTED_VERSION) is written; INVALID_PRODUCER_EPOCH / TRANSACTION_COORDINATOR_FENCED stop
// the transaction's markers (a newer epoch owns the producer); leadership and replication errors
// and failed requests are retried, against the partition's current leader; a partition whose
// topic is gone counts as written (its data is gone with it). A job whose coordinator lost the
// transaction (job.valid() false) is dropped.

import { ErrorCode } from '../protocol/errors.ts';
import type { WriteTxnMarkers } from '../protocol/messages/write-txn-markers.ts';
import type { DecodedResponseOf, RequestOutOf } from '../protocol/schema.ts';
import type { MarkerJob, MarkerWriter } from './txn-coordinator.ts';

export interface MarkerChannelHost {
  /** The partition's leader; -1 while it has none; null when the partition does not exist. */
  leaderOf(topic: string, partition: number): number | null;
  send(nodeId: number, body: RequestOutOf<typeof WriteTxnMarkers>): Promise<DecodedResponseOf<typeof WriteTxnMarkers>>;
  logger(msg: string): void;
}

interface Entry {
  job: MarkerJob;
  topic: string;
  partition: number;
  attempts: number;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 1000;

const WRITTEN = new Set<number>([ErrorCode.NONE, ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, ErrorCode.UNSUPPORTED_VERSION]);
const FENCED = new Set<number>([ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.TRANSACTION_COORDINATOR_FENCED]);

export class TxnMarkerChannel implements MarkerWriter {
  private queue: Entry[] = [];
  private scheduled = false;
  private closed = false;

  constructor(private readonly host: MarkerChannelHost) {}

  write(job: MarkerJob): void {
    for (const { topic, partition } of job.partitions) this.queue.push({ job, topic, partition, attempts: 0 });
    this.schedule();
  }

  /** Flushes on the next turn: markers due together go in one request per leader. */
  private schedule(): void {
    if (this.closed || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private retry(entries: Entry[]): void {
    if (entries.length === 0) return;
    const attempts = Math.max(...entries.map((e) => ++e.attempts));
    setTimeout(() => {
      this.queue.push(...entries);
      this.schedule();
    }, Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS)).unref();
  }

  /** Sends what is queued, one request per leader. */
  private flush(): void {
    this.scheduled = false;
    if (this.closed) return;
    const due = this.queue.splice(0);
    const byLeader = new Map<number, Entry[]>();
    const waiting: Entry[] = [];
    for (const e of due) {
      if (!e.job.valid()) continue;
      const leader = this.host.leaderOf(e.topic, e.partition);
      if (leader === null) {
        this.host.logger(`txn markers: ${e.topic}-${e.partition} no longer exists; ${e.job.transactionalId} skips it`);
        e.job.done(e.topic, e.partition);
      } else if (leader < 0) waiting.push(e);
      else {
        const list = byLeader.get(leader) ?? [];
        list.push(e);
        byLeader.set(leader, list);
      }
    }
    this.retry(waiting);
    for (const [leader, entries] of byLeader) void this.sendTo(leader, entries);
  }

  private async sendTo(leader: number, entries: Entry[]): Promise<void> {
    const jobs = [...new Set(entries.map((e) => e.job))];
    const body = {
      markers: jobs.map((job) => {
        const topics = new Map<string, number[]>();
        for (const e of entries) if (e.job === job) topics.set(e.topic, [...(topics.get(e.topic) ?? []), e.partition]);
        return {
          producerId: job.producerId,
          producerEpoch: job.producerEpoch,
          transactionResult: job.commit,
          topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
          coordinatorEpoch: job.coordinatorEpoch,
        };
      }),
    };
    let res: DecodedResponseOf<typeof WriteTxnMarkers>;
    try {
      res = await this.host.send(leader, body);
    } catch (e) {
      this.host.logger(`txn markers: WriteTxnMarkers to node ${leader} failed: ${(e as Error).message}; retrying`);
      return this.retry(entries);
    }
    const again: Entry[] = [];
    for (const e of entries) {
      if (!e.job.valid()) continue;
      const code =
        res.markers
          .find((m) => m.producerId === e.job.producerId)
          ?.topics.find((t) => t.name === e.topic)
          ?.partitions.find((p) => p.partitionIndex === e.partition)?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
      if (WRITTEN.has(code)) e.job.done(e.topic, e.partition);
      else if (FENCED.has(code)) e.job.fenced(e.topic, e.partition, code);
      else {
        if (e.attempts % 10 === 9) this.host.logger(`txn markers: ${e.topic}-${e.partition} of ${e.job.transactionalId}: error ${code}, still retrying`);
        again.push(e);
      }
    }
    this.retry(again);
  }

  close(): void {
    this.closed = true;
    this.queue = [];
  }
}
