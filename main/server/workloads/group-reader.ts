// One member of a consumer group, as the console's workloads run them (the runner's stage
// readers, the learn group's members): a @platformatic/kafka Consumer that joins `group`,
// subscribes to one topic, reads from the group's committed offsets (a partition without one
// from `fallback`), commits after each fetch, and hands each record to `onRecord` with its value
// parsed as JSON where it is JSON. Leaving closes the stream first, then the consumer: the
// stream commits what it read, and the consumer only sends LeaveGroup once no stream is open
// (with the stream still open, close() cannot leave and the member stays until its session
// times out). Joining resolves once the stream has worked out where it starts (its 'offsets'
// event): the client resolves a "latest" start after consume() has returned, so a record
// written in between would otherwise be skipped by a new group (a pipeline stage's first input).
import { Consumer, type MessagesStream, stringDeserializers } from '@platformatic/kafka';
import { type ClusterConfig, toClientOptions } from '../../kafka/cluster-config.ts';

/** Longest a join waits for the stream to know its start offsets (it goes on without them after). */
const OFFSETS_MS = 15_000;

export interface GroupRecord {
  partition: number;
  offset: bigint;
  key: string | null;
  /** The value parsed as JSON, or its text when it is not JSON (another producer's bytes). */
  value: unknown;
  /** The record's timestamp, ms. */
  timestamp: number;
}

export interface GroupReaderOptions {
  clientId: string;
  group: string;
  topic: string;
  /** Where a partition without a committed offset starts: a workload's new group at the end, a learner's at the beginning. */
  fallback: 'earliest' | 'latest';
  onRecord(r: GroupRecord): void;
  onError(e: unknown): void;
}

export class GroupReader {
  private constructor(
    readonly consumer: Consumer<string, string, string, string>,
    readonly stream: MessagesStream<string, string, string, string>,
  ) {}

  /** Joins the group and starts reading; resolves once the consumer has its first assignment. */
  static async join(config: ClusterConfig, o: GroupReaderOptions): Promise<GroupReader> {
    const consumer = new Consumer({
      ...toClientOptions(config, o.clientId),
      groupId: o.group,
      deserializers: stringDeserializers,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTime: 500,
    });
    try {
      const stream = await consumer.consume({ topics: [o.topic], mode: 'committed', fallbackMode: o.fallback, autocommit: true });
      let timer: NodeJS.Timeout | undefined;
      const positioned = new Promise<void>((resolve) => {
        stream.once('offsets', () => resolve());
        timer = setTimeout(resolve, OFFSETS_MS);
      });
      stream.on('data', (m) => {
        let value: unknown = m.value;
        try {
          value = JSON.parse(m.value);
        } catch {
          // Not JSON: the reader sees the text.
        }
        o.onRecord({ partition: m.partition, offset: m.offset, key: m.key ?? null, value, timestamp: Number(m.timestamp) });
      });
      stream.on('error', (e: unknown) => o.onError(e));
      await positioned;
      clearTimeout(timer);
      return new GroupReader(consumer, stream);
    } catch (e) {
      await consumer.close().catch(() => {});
      throw e;
    }
  }

  /** The partitions of `topic` the coordinator assigned this member in the current generation. */
  partitions(topic: string): number[] {
    return (this.consumer.assignments ?? [])
      .filter((a) => a.topic === topic)
      .flatMap((a) => a.partitions)
      .sort((a, b) => a - b);
  }

  get memberId(): string | null {
    return this.consumer.memberId;
  }

  /** The group generation this member last joined (a rebalance starts a new one). */
  get generation(): number {
    return this.consumer.generationId;
  }

  /** The stream first (its last commit), then the consumer, which leaves the group. */
  async leave(onError: (e: unknown) => void): Promise<void> {
    await this.stream.close().catch(onError);
    await this.consumer.close().catch(onError);
  }
}
