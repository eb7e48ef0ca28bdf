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
// Rejoining: @platformatic/kafka 1.35.0's Consumer looks its group coordinator up once and never
// again, so when the coordinator's node dies its heartbeats fail for good and it stops
// heartbeating (main/kafka/client-guard.ts turns the crash that followed into an error). On a
// failed heartbeat (the client reports only those that are not a rebalance: a network error,
// NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE) or a failed stream (a fetch failed past its
// retries), the member closes that consumer (best effort, bounded) and joins again with a new one, which finds the new coordinator and resumes from the committed offsets:
// records read after the last commit are read again (at least once, as a Kafka consumer that
// loses its coordinator mid-commit). Kafka's own clients rediscover the coordinator instead.
import { Consumer, type MessagesStream, stringDeserializers } from '@platformatic/kafka';
import { type ClusterConfig, toClientOptions } from '../../kafka/cluster-config.ts';

/** Longest a join waits for the stream to know its start offsets (it goes on without them after). */
const OFFSETS_MS = 15_000;
/** Longest closing a consumer whose coordinator is gone may take before it is left behind. */
const CLOSE_MS = 3000;
/** Pause between attempts to rejoin while the cluster has no coordinator for the group yet. */
const REJOIN_RETRY_MS = 1000;

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

type GroupConsumer = Consumer<string, string, string, string>;
type GroupStream = MessagesStream<string, string, string, string>;

const within = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.catch(() => {}), new Promise<void>((r) => setTimeout(r, ms).unref())]);

export class GroupReader {
  private rejoining: Promise<void> | null = null;
  private left = false;
  /** How many times this member rejoined with a new consumer (its coordinator was lost). */
  rejoins = 0;

  private constructor(
    private readonly config: ClusterConfig,
    private readonly o: GroupReaderOptions,
    private consumer: GroupConsumer,
    private stream: GroupStream,
  ) {
    this.watch(consumer, stream);
  }

  /** Joins the group and starts reading; resolves once the consumer has its first assignment. */
  static async join(config: ClusterConfig, o: GroupReaderOptions): Promise<GroupReader> {
    const { consumer, stream } = await open(config, o);
    return new GroupReader(config, o, consumer, stream);
  }

  private watch(consumer: GroupConsumer, stream: GroupStream): void {
    const lost = () => {
      if (consumer !== this.consumer || this.left) return;
      this.rejoining ??= this.rejoin().finally(() => (this.rejoining = null));
    };
    consumer.on('consumer:heartbeat:error', lost);
    stream.on('error', lost);
  }

  private async rejoin(): Promise<void> {
    const old = { consumer: this.consumer, stream: this.stream };
    await within(old.stream.close(), CLOSE_MS);
    // force: its LeaveGroup would go to the coordinator that is gone.
    await within(new Promise<void>((r) => old.consumer.close(true, () => r())), CLOSE_MS);
    while (!this.left) {
      try {
        const next = await open(this.config, this.o);
        if (this.left) {
          await within(next.stream.close(), CLOSE_MS);
          await within(next.consumer.close(), CLOSE_MS);
          return;
        }
        this.consumer = next.consumer;
        this.stream = next.stream;
        this.rejoins++;
        this.watch(next.consumer, next.stream);
        return;
      } catch (e) {
        this.o.onError(e);
        await new Promise((r) => setTimeout(r, REJOIN_RETRY_MS));
      }
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
    this.left = true;
    await this.rejoining;
    await this.stream.close().catch(onError);
    await this.consumer.close().catch(onError);
  }
}

async function open(config: ClusterConfig, o: GroupReaderOptions): Promise<{ consumer: GroupConsumer; stream: GroupStream }> {
  const consumer: GroupConsumer = new Consumer({
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
    return { consumer, stream };
  } catch (e) {
    await consumer.close().catch(() => {});
    throw e;
  }
}
