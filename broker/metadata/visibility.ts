// Which partitions a node shows to clients. Topic changes are read-your-writes across nodes
// (DESIGN.md): a partition created by a metadata record stays hidden until the controller has
// seen every live broker apply that record and said so with a Propagated record. So a client
// never learns of a partition from one node that another node, or its leader, does not know
// yet, and the partition count a node reports never goes down. A topic whose partitions are all
// still hidden is "being created": Metadata answers LEADER_NOT_AVAILABLE for it, as Kafka does.
// Partitions without a creation stamp (single-node metadata, logs from before the stamps) are
// visible.

import type { PartitionMeta, TopicMeta } from './types.ts';

export function isVisible(p: PartitionMeta): boolean {
  return p.createdAt === undefined || p.visibleAt !== undefined;
}

/** The visible partitions: a prefix, since later partitions are created by later records. */
export function visiblePartitions(t: TopicMeta): PartitionMeta[] {
  const n = t.partitions.findIndex((p) => !isVisible(p));
  return n < 0 ? t.partitions : t.partitions.slice(0, n);
}

export function isBeingCreated(t: TopicMeta): boolean {
  return t.partitions.length > 0 && !isVisible(t.partitions[0]);
}

export function isFullyVisible(t: TopicMeta): boolean {
  return t.partitions.every(isVisible);
}
