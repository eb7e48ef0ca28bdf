// The one adapter from broker state to MetricsSource (source.ts), read when /metrics is scraped.
// It is the only metrics file that knows where the broker keeps things: partitions (log, role,
// high watermark, follower progress) in broker.partitions, ISR in metadata, the quorum in
// broker.quorum.raft, groups in the group coordinator. When that layout changes, this file does.
// It also subscribes to metadata changes (ISR shrinks/expands, isr-changes.ts) and to quorum
// leader changes (NewActiveControllersCount), the two levels whose changes are the metric.

import type { Broker } from '../broker.ts';
import { splitOffsetKey } from '../coordinator/group.ts';
import { MetadataChange } from '../metadata/metadata-change.ts';
import { effectiveConfig } from '../metadata/topic-configs.ts';
import type { Partition } from '../partition/partition.ts';
import { IsrChanges } from './isr-changes.ts';
import type { FollowerLag, GroupSnapshot, MetricsSource, PartitionSnapshot, QuorumSnapshot } from './source.ts';

export function brokerMetricsSource(broker: Broker): MetricsSource {
  const self = broker.config.nodeId;
  const md = broker.metadata;

  const isr = new IsrChanges(self);
  // Only the partitions a change touched: one ISR change of a topic of 5 000 is one look.
  const observe = (change: MetadataChange) => {
    for (const name of change.all ? md.topics().map((t) => t.name) : change.names()) {
      const t = md.topic(name);
      if (!t) {
        isr.forget(name);
        continue;
      }
      const only = change.all ? null : change.topics.get(name);
      const parts = only ? [...only].flatMap((i) => t.partitions[i] ?? []) : t.partitions;
      isr.observe(parts.map((p) => ({ topic: name, partition: p.partition, leader: p.leader, isr: p.isr })));
    }
  };
  observe(MetadataChange.everything());
  md.onChange(observe);

  // NewActiveControllersCount: a leader becoming known in an epoch not counted yet (the same
  // node elected again counts; losing the leader does not).
  const raft = broker.quorum?.raft;
  let newActiveControllers = 0;
  let countedEpoch = raft && raft.leaderId >= 0 ? raft.epoch : -1;
  raft?.onLeaderChange(() => {
    if (raft.leaderId < 0 || raft.epoch === countedEpoch) return;
    countedEpoch = raft.epoch;
    newActiveControllers++;
  });

  /** The leader's view of its followers. */
  function followersOf(p: Partition, now: number): FollowerLag[] {
    const out: FollowerLag[] = [];
    for (const f of p.followerProgress()) {
      const messages = Math.max(0, p.logEndOffset - Math.max(f.fetchOffset, 0));
      out.push({ replicaId: f.replicaId, messages, ms: messages === 0 ? 0 : Math.max(0, now - f.lastCaughtUp) });
    }
    return out;
  }

  return {
    offlineLogDirs: () => (broker.logs.dir.offline ? 1 : 0),
    partitionExists: (topic, partition) => md.topic(topic)?.partitions[partition] !== undefined,

    *partitions(): Iterable<PartitionSnapshot> {
      const now = Date.now();
      const brokerConfigs = md.brokerConfigs();
      for (const part of broker.partitions) {
        const { topic, partition } = part.tp;
        const t = md.topic(topic);
        const p = t?.partitions[partition];
        if (!t || !p) continue; // kept only until a restarted node has caught up with metadata
        const leader = part.role === 'leader';
        yield {
          topic,
          partition,
          leader,
          replicas: p.replicas.length,
          isr: p.isr.length,
          minIsr: Number(effectiveConfig(t.configs, brokerConfigs)('min.insync.replicas')) || 1,
          size: part.log.size,
          logStartOffset: part.logStartOffset,
          logEndOffset: part.logEndOffset,
          highWatermark: part.highWatermark,
          followers: leader ? followersOf(part, now) : [],
        };
      }
    },

    cluster() {
      let partitions = 0;
      let offlinePartitions = 0;
      const topics = md.topics();
      for (const t of topics) {
        partitions += t.partitions.length;
        if (!t.internal) for (const p of t.partitions) if (p.leader < 0) offlinePartitions++;
      }
      return { topics: topics.length, partitions, offlinePartitions };
    },

    quorum(): QuorumSnapshot | undefined {
      if (!raft) return undefined;
      const leo = raft.store.logEndOffset;
      const state = !raft.isVoter
        ? 'observer'
        : raft.role === 'follower' && raft.leaderId < 0
          ? 'unattached'
          : raft.role;
      return {
        state,
        epoch: raft.epoch,
        leaderId: raft.leaderId,
        highWatermark: raft.hw,
        logEndOffset: leo,
        voterLag: raft.isLeader
          ? raft
              .describeVoters()
              .filter((v) => v.replicaId !== self)
              .map((v) => ({ voterId: v.replicaId, records: Math.max(0, leo - Math.max(v.logEndOffset, 0)) }))
          : [],
        newActiveControllers,
      };
    },

    groups() {
      const c = broker.groups.coordinator;
      const groups: GroupSnapshot[] = [];
      for (const g of c.groups.values()) {
        const offsets = [...g.offsets].map(([k, e]) => {
          const [topic, partition] = splitOffsetKey(k);
          return { topic, partition, offset: e.offset };
        });
        groups.push({
          groupId: g.groupId,
          state: g.state,
          members: g.members.size,
          generation: g.generationId,
          offsets,
        });
      }
      return { groups, rebalances: c.stats.rebalances, completedRebalances: c.stats.completedRebalances };
    },

    replication: () => ({
      bytesIn: broker.replication?.replicationBytesIn ?? 0,
      isrShrinks: isr.shrinks,
      isrExpands: isr.expands,
    }),
  };
}
