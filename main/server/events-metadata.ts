// The bundled cluster's metadata as the console rebuilds it from the committed metadata log
// (GET /metadata/records on any node, see broker/metadata/metadata-feed.ts), and the timeline
// events each record means: a Partition record is the partition's whole new state, so "leader
// 2 → 3" or "ISR shrank, 2 left" is the difference with the state before it. The same model
// backs the replica map, so a cell changes exactly when its event is recorded.
// The node's answer crosses a process boundary: it is parsed here, and a record of a type the
// console does not know (Propagated, or one a newer broker adds) is skipped,
// never an error. Records without the controller's timestamp (written before records had one)
// change the model but make no event: a time the console made up would mislead.
import { z } from 'zod';
import type { ClusterEventInput } from '../contract/events.ts';

const Ids = z.array(z.number().int());
const PartitionSchema = z.object({
  partition: z.number().int().nonnegative(),
  leader: z.number().int(),
  leaderEpoch: z.number().int(),
  replicas: Ids,
  isr: Ids,
  addingReplicas: Ids.optional(),
  removingReplicas: Ids.optional(),
});
const Configs = z.record(z.string(), z.string());
const Changes = z.record(z.string(), z.string().nullable());
const TopicSchema = z.object({ name: z.string(), internal: z.boolean().default(false), partitions: z.array(PartitionSchema), configs: Configs.default({}) });
const BrokerSchema = z.object({ nodeId: z.number().int(), host: z.string(), port: z.number().int() });

const RecordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LeaderChange'), leaderId: z.number().int(), epoch: z.number().int() }),
  z.object({ type: z.literal('RegisterBroker'), broker: BrokerSchema }),
  z.object({ type: z.literal('FenceBroker'), nodeId: z.number().int() }),
  z.object({ type: z.literal('UnfenceBroker'), nodeId: z.number().int() }),
  z.object({ type: z.literal('Topic'), topic: TopicSchema }),
  z.object({ type: z.literal('RemoveTopic'), name: z.string() }),
  z.object({ type: z.literal('Partition'), topic: z.string(), partition: PartitionSchema }),
  z.object({ type: z.literal('TopicConfigs'), name: z.string(), changes: Changes }),
  z.object({ type: z.literal('BrokerConfigs'), changes: Changes }),
]);
type MetadataRecord = z.infer<typeof RecordSchema>;

export const FeedPageSchema = z.object({
  logStartOffset: z.number().int().nonnegative(),
  appliedOffset: z.number().int().nonnegative(),
  snapshot: z.object({ endOffset: z.number().int().nonnegative(), data: z.unknown() }).nullable(),
  records: z.array(z.object({ offset: z.number().int().nonnegative(), epoch: z.number().int(), at: z.number().nullable(), record: z.unknown() })),
});
export type FeedPage = z.infer<typeof FeedPageSchema>;

const SnapshotSchema = z.object({
  brokers: z.array(BrokerSchema.extend({ fenced: z.boolean() })),
  topics: z.array(TopicSchema),
  brokerConfigs: Configs.default({}),
});

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** A reassignment in progress: replicas joining and leaving. */
  adding: number[];
  removing: number[];
}

export interface BrokerState {
  nodeId: number;
  host: string;
  port: number;
  fenced: boolean;
}

interface TopicState {
  name: string;
  internal: boolean;
  partitions: PartitionState[];
  /** dynamic (non-default) topic configs */
  configs: Record<string, string>;
}

function applyChanges(target: Record<string, string>, changes: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
}

const topicState = (t: z.infer<typeof TopicSchema>): TopicState => ({
  name: t.name,
  internal: t.internal,
  partitions: t.partitions.map((p) => partitionState(t.name, p)),
  configs: { ...t.configs },
});

const minus = (a: number[], b: number[]) => a.filter((x) => !b.includes(x));
const list = (ids: number[]) => `[${ids.join(', ')}]`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function partitionState(topic: string, p: z.infer<typeof PartitionSchema>): PartitionState {
  return {
    topic,
    partition: p.partition,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicas: [...p.replicas],
    isr: [...p.isr],
    adding: [...(p.addingReplicas ?? [])],
    removing: [...(p.removingReplicas ?? [])],
  };
}

type Draft = Omit<ClusterEventInput, 'at' | 'source' | 'offset'>;
const blank = { nodeId: null, topic: null, partition: null, leader: null, isr: null, replicas: null } as const;

/** The events that the change of one partition from `old` to `now` means. */
export function partitionEvents(old: PartitionState | undefined, now: PartitionState): Draft[] {
  const name = `${now.topic}-${now.partition}`;
  const at = { ...blank, topic: now.topic, partition: now.partition };
  if (!old) return [{ ...at, kind: 'partitions-added', nodeId: now.leader >= 0 ? now.leader : null, text: `${name} added, replicas ${list(now.replicas)}` }];
  const out: Draft[] = [];
  const isr = { from: old.isr, to: now.isr };
  if (old.leader !== now.leader) {
    const leader = { from: old.leader, to: now.leader };
    if (now.leader < 0)
      out.push({ ...at, kind: 'partition-offline', nodeId: old.leader, leader, isr, text: `${name} offline: leader ${old.leader} gone and no other in-sync replica is live` });
    else
      out.push({
        ...at,
        kind: 'leader-changed',
        nodeId: now.leader,
        leader,
        isr,
        text: old.leader < 0 ? `${name} back online: leader ${now.leader}` : `${name} leader ${old.leader} → ${now.leader}`,
      });
  }
  const left = minus(old.isr, now.isr);
  const joined = minus(now.isr, old.isr);
  if (left.length)
    out.push({ ...at, kind: 'isr-shrunk', nodeId: left[0], isr, text: `${name} ISR shrank to ${list(now.isr)} (${list(left)} left)` });
  if (joined.length)
    out.push({ ...at, kind: 'isr-expanded', nodeId: joined[0], isr, text: `${name} ISR expanded to ${list(now.isr)} (${list(joined)} caught up)` });
  const moving = (p: PartitionState) => p.adding.length + p.removing.length > 0;
  if (!moving(old) && moving(now)) {
    const target = minus(now.replicas, now.removing);
    const replicas = { from: minus(now.replicas, now.adding), to: target };
    out.push({ ...at, kind: 'reassignment-started', replicas, text: `${name} reassignment ${list(replicas.from)} → ${list(target)} started` });
  } else if (moving(old) && !moving(now)) {
    const replicas = { from: minus(old.replicas, old.adding), to: now.replicas };
    out.push({ ...at, kind: 'reassignment-completed', replicas, text: `${name} reassignment to ${list(now.replicas)} completed` });
  } else if (!moving(now) && old.replicas.join() !== now.replicas.join()) {
    const replicas = { from: old.replicas, to: now.replicas };
    out.push({ ...at, kind: 'reassignment-completed', replicas, text: `${name} replicas ${list(old.replicas)} → ${list(now.replicas)}` });
  }
  return out;
}

export class ClusterModel {
  brokers = new Map<number, BrokerState>();
  topics = new Map<string, TopicState>();
  /** The active controller as the log last named it (-1 until a LeaderChange is read). */
  controllerId = -1;
  controllerEpoch = -1;
  /** Offset of the last record applied; -1 before any. */
  offset = -1;
  /** cluster-wide dynamic broker configs */
  brokerConfigs: Record<string, string> = {};

  /** Replaces the state with a node's snapshot (the log below `endOffset`). */
  restore(endOffset: number, data: unknown): void {
    const s = SnapshotSchema.safeParse(data);
    this.brokers = new Map();
    this.topics = new Map();
    if (s.success) {
      for (const b of s.data.brokers) this.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, fenced: b.fenced });
      for (const t of s.data.topics) this.topics.set(t.name, topicState(t));
      this.brokerConfigs = { ...s.data.brokerConfigs };
    }
    this.offset = endOffset - 1;
  }

  /** Applies the record at `offset`; returns the events it means (none without a timestamp). */
  apply(raw: unknown, offset: number, at: number | null): ClusterEventInput[] {
    this.offset = offset;
    const parsed = RecordSchema.safeParse(raw);
    if (!parsed.success) return [];
    const drafts = this.#apply(parsed.data);
    if (at === null) return [];
    return drafts.map((d) => ({ ...d, at, source: 'metadata', offset }));
  }

  #apply(r: MetadataRecord): Draft[] {
    switch (r.type) {
      case 'LeaderChange':
        this.controllerId = r.leaderId;
        this.controllerEpoch = r.epoch;
        return [{ ...blank, kind: 'controller-elected', nodeId: r.leaderId, text: `node ${r.leaderId} elected controller (epoch ${r.epoch})` }];
      case 'RegisterBroker': {
        const { nodeId, host, port } = r.broker;
        this.brokers.set(nodeId, { nodeId, host, port, fenced: true });
        return [{ ...blank, kind: 'broker-registered', nodeId, text: `broker ${nodeId} registered at ${host}:${port} (fenced until it heartbeats)` }];
      }
      case 'FenceBroker':
      case 'UnfenceBroker': {
        const b = this.brokers.get(r.nodeId);
        const fenced = r.type === 'FenceBroker';
        if (b) b.fenced = fenced;
        return [
          fenced
            ? { ...blank, kind: 'broker-fenced', nodeId: r.nodeId, text: `broker ${r.nodeId} fenced: the controller no longer counts it as live` }
            : { ...blank, kind: 'broker-unfenced', nodeId: r.nodeId, text: `broker ${r.nodeId} unfenced: live again` },
        ];
      }
      case 'Topic': {
        const t = r.topic;
        this.topics.set(t.name, topicState(t));
        const rf = t.partitions[0]?.replicas.length ?? 0;
        return [{ ...blank, kind: 'topic-created', topic: t.name, text: `topic ${t.name} created: ${plural(t.partitions.length, 'partition')}, RF ${rf}` }];
      }
      case 'RemoveTopic':
        if (!this.topics.delete(r.name)) return [];
        return [{ ...blank, kind: 'topic-deleted', topic: r.name, text: `topic ${r.name} deleted` }];
      case 'Partition': {
        const t = this.topics.get(r.topic);
        if (!t) return [];
        const now = partitionState(r.topic, r.partition);
        const old = t.partitions[now.partition];
        t.partitions[now.partition] = now;
        return partitionEvents(old, now);
      }
      case 'TopicConfigs': {
        const t = this.topics.get(r.name);
        if (t) applyChanges(t.configs, r.changes);
        return [];
      }
      case 'BrokerConfigs':
        applyChanges(this.brokerConfigs, r.changes);
        return [];
    }
  }

  /** A topic config in force: the topic's own, else the cluster's dynamic default, else `dflt`. */
  topicConfig(topic: string, name: string, dflt: string): string {
    return this.topics.get(topic)?.configs[name] ?? this.brokerConfigs[name] ?? dflt;
  }

  partitions(): PartitionState[] {
    return [...this.topics.values()].flatMap((t) => t.partitions.filter(Boolean));
  }

  isInternal(topic: string): boolean {
    return this.topics.get(topic)?.internal ?? false;
  }
}
