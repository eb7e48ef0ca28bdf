// The sampler for a cluster without Samsa's metrics endpoints (a remote Kafka): what Kafka's own
// requests tell, every 5 s (lighter on a cluster someone else runs than once a second).
// - Metadata: under-replicated partitions (ISR < replicas, every topic) and offline ones (no
//   leader, internal topics left out, as Kafka's OfflinePartitionsCount), leaders and replicas
//   per broker.
// - ListOffsets (latest) of every partition: messages in per second = Δ end offset / Δt, per
//   partition, topic, leader and cluster. Deviation from MessagesInPerSec: offsets also count
//   transaction markers, and a topic deleted and re-created in between is skipped once.
// - Committed offsets of every group (OffsetFetch): lag = end offset − committed, per partition
//   and in total, and consumption = Δ committed / Δt.
// - DescribeLogDirs of every live broker: bytes on disk per broker.
// Bytes in/out, request times and process figures have no Kafka request: the contract names
// them (KAFKA_API_UNAVAILABLE) and the UI says so. A request that fails costs its own series for
// this tick; reads go through the helpers that keep partition errors as data (main/kafka/).
import { z } from 'zod';
import { request } from '../kafka/broker-calls.ts';
import { isOffline, isUnderReplicated } from '../kafka/cluster-metadata.ts';
import type { KafkaConnection } from '../kafka/connection.ts';
import { committedOffsets, type Committed } from '../kafka/groups.ts';
import { LATEST, listOffsets, pkey, type PartitionKey } from '../kafka/offsets.ts';
import type { MetricsSampler } from './metrics-node-source.ts';
import type { TickPoints } from './metrics-points.ts';

const LogDirsSchema = z.object({
  results: z.array(
    z.object({
      errorCode: z.number(),
      topics: z.array(z.object({ name: z.string(), partitions: z.array(z.object({ partitionSize: z.bigint() })) })),
    }),
  ),
});

interface Seen {
  at: number;
  offsets: Map<PartitionKey, number>;
}

/** Per second increase of each offset since `before`; offsets that went down are skipped. */
function rates(before: Seen | undefined, t: number, now: Map<PartitionKey, number>): Map<PartitionKey, number> {
  const out = new Map<PartitionKey, number>();
  if (!before || t <= before.at) return out;
  const secs = (t - before.at) / 1000;
  for (const [k, v] of now) {
    const b = before.offsets.get(k);
    if (b !== undefined && v >= b) out.set(k, (v - b) / secs);
  }
  return out;
}

export class KafkaApiSampler implements MetricsSampler {
  readonly source = 'kafka-api' as const;
  #ends: Seen | undefined;
  readonly #committed = new Map<string, Seen>();

  constructor(
    private readonly connection: () => KafkaConnection,
    readonly intervalMs = 5000,
  ) {}

  async sample(t: number, points: TickPoints): Promise<void> {
    const conn = this.connection();
    const view = await conn.clusterView();
    const topics = [...view.topics.values()];
    const all = topics.flatMap((x) => x.partitions.map((p) => ({ topic: x, p })));
    points.put('underReplicated', {}, all.filter(({ p }) => isUnderReplicated(p)).length);
    points.put('offline', {}, all.filter(({ topic, p }) => !topic.internal && isOffline(p)).length);
    for (const b of view.brokers.filter((x) => x.up)) {
      points.put('leaders', { node: b.id }, all.filter(({ p }) => p.leader === b.id).length);
      points.put('partitions', { node: b.id }, all.filter(({ p }) => p.replicas.includes(b.id)).length);
    }
    const leaderOf = new Map(all.map(({ topic, p }) => [pkey(topic.name, p.partition), p.leader]));

    const [groups, disk] = await Promise.all([this.#groupOffsets(conn), this.#disk(conn, view.brokers)]);
    for (const [node, bytes] of disk) points.put('diskBytes', { node }, bytes);

    const asks = new Map<PartitionKey, { topic: string; partition: number }>();
    for (const { topic, p } of all) if (!topic.internal) asks.set(pkey(topic.name, p.partition), { topic: topic.name, partition: p.partition });
    for (const committed of groups.values()) for (const c of committed) asks.set(pkey(c.topic, c.partition), c);
    const ends = new Map<PartitionKey, number>();
    for (const [k, v] of await listOffsets(conn, [...asks.values()], LATEST)) if (v !== null) ends.set(k, v);

    const perSecond = rates(this.#ends, t, ends);
    this.#ends = { at: t, offsets: ends };
    if (perSecond.size > 0 || ends.size === 0) points.put('messagesIn', {}, 0);
    for (const [k, r] of perSecond) {
      const { topic, partition } = asks.get(k)!;
      points.put('messagesIn', { topic, partition }, r);
      points.add('messagesIn', { topic }, r);
      points.add('messagesIn', {}, r);
      const leader = leaderOf.get(k);
      if (leader !== undefined && leader >= 0) points.add('messagesIn', { node: leader }, r);
    }

    for (const [group, committed] of groups) {
      const offsets = new Map(committed.flatMap((c) => (c.offset === null ? [] : [[pkey(c.topic, c.partition), c.offset] as const])));
      // As for node metrics: no total while a partition's end cannot be read.
      let total: number | null = 0;
      for (const c of committed) {
        if (c.offset === null) continue;
        const end = ends.get(pkey(c.topic, c.partition));
        if (end === undefined) {
          total = null;
          continue;
        }
        const lag = Math.max(0, end - c.offset);
        if (total !== null) total += lag;
        points.put('lag', { group, topic: c.topic, partition: c.partition }, lag);
      }
      points.put('lag', { group }, total);
      const moved = rates(this.#committed.get(group), t, offsets);
      if (this.#committed.has(group)) points.put('consumeRate', { group }, [...moved.values()].reduce((s, x) => s + x, 0));
      this.#committed.set(group, { at: t, offsets });
    }
  }

  async #groupOffsets(conn: KafkaConnection): Promise<Map<string, Committed[]>> {
    try {
      const ids = [...(await conn.admin.listGroups()).keys()].sort();
      return ids.length ? await committedOffsets(conn.admin, ids) : new Map();
    } catch {
      return new Map();
    }
  }

  async #disk(conn: KafkaConnection, brokers: { id: number; host: string | null; port: number | null; up: boolean }[]) {
    const out = new Map<number, number>();
    await Promise.all(
      brokers.map(async (b) => {
        if (!b.up || !b.host || b.port === null) return;
        const res = await request(conn.admin, { host: b.host, port: b.port }, 'DescribeLogDirs', [null], LogDirsSchema).catch(() => null);
        if (!res) return;
        let bytes = 0;
        for (const dir of res.results) {
          if (dir.errorCode !== 0) continue;
          for (const topic of dir.topics) for (const p of topic.partitions) bytes += Number(p.partitionSize);
        }
        out.set(b.id, bytes);
      }),
    );
    return out;
  }

  close(): void {}
}
