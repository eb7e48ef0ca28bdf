// Small observations several scenarios share: a message's bytes as text, a topic that exists
// with the right number of partitions and a leader for each, and a whole topic read from the
// earliest offset; and the restart of nodes a scenario killed, as its reset does it. Each goes through the console's contract-typed API, as every check does.
import type { ClusterState, KafkaMessage, PartitionRow, TopicDetail } from '../../../../main/contract/index.ts';
import type { LearnContext, Observation } from '../scenario.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a restart waits for the restarted nodes to register again. */
const RESTART_MS = 30_000;

/** A base64 key or value as UTF-8 text; null stays null (no key, or a tombstone). */
export const decodeText = (b64: string | null) => (b64 === null ? null : new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));

/** Done when `topic` exists with `partitions` partitions, each with a leader; `detail` is there for a further look. */
export async function topicReady(ctx: LearnContext, topic: string, partitions: number): Promise<Observation & { detail: TopicDetail | null }> {
  const { topics } = await ctx.api('listTopics', { clusterId: ctx.clusterId });
  if (!topics.some((x) => x.name === topic)) return { done: false, observed: `There is no topic ${topic} yet.`, detail: null };
  const detail = await ctx.api('topicDetail', { clusterId: ctx.clusterId, topic });
  if (detail.partitions.length !== partitions)
    return { done: false, observed: `${topic} has ${detail.partitions.length} partition(s); this scenario needs ${partitions}: delete it and create it again.`, detail };
  const leaders = detail.partitions.map((p) => p.leader);
  if (leaders.some((l) => l < 0)) return { done: false, observed: `${topic} exists; waiting for every partition to elect a leader.`, detail };
  return { done: true, observed: `${topic} has ${partitions} partition(s), led by node(s) ${leaders.join(', ')}.`, detail };
}

/** Every message of `topic` (or of one partition) from the earliest offset, up to 5000. */
export async function readFromEarliest(ctx: LearnContext, topic: string, partition: number | null = null): Promise<KafkaMessage[]> {
  const { messages } = await ctx.api('browse', { clusterId: ctx.clusterId, topic }, { partition, seek: { mode: 'earliest' }, limit: 5000 });
  return messages;
}

/** Sends `values` one by one (each its own produce request), with `key`; a null value is a tombstone. */
export async function produceEach(ctx: LearnContext, topic: string, records: { key: string | null; value: string | null; partition?: number }[]): Promise<void> {
  for (const r of records) await ctx.api('produce', { clusterId: ctx.clusterId, topic }, r);
}

/** The replica map's rows of `topic` (the cluster-state API), by partition. */
export const replicaRows = (s: ClusterState, topic: string): PartitionRow[] =>
  s.partitions.filter((r) => r.topic === topic).sort((a, b) => a.partition - b.partition);

/** The nodes whose process is dead (killed). */
export const deadNodes = (s: ClusterState): number[] => s.nodes.filter((n) => n.state === 'dead').map((n) => n.id);

/** Restarts `ids` and waits (bounded: a restart takes seconds) until they are live brokers again (registered, unfenced), so a topic with 3 replicas can be created right after. */
export async function restartNodes(ctx: LearnContext, ids: number[]): Promise<void> {
  for (const id of ids) await ctx.api('nodeAction', { clusterId: ctx.clusterId, nodeId: String(id), action: 'restart' }, {});
  const deadline = Date.now() + RESTART_MS;
  while (ids.length && Date.now() < deadline) {
    const now = await ctx.api('clusterState', { clusterId: ctx.clusterId });
    if (ids.every((id) => now.nodes.find((n) => n.id === id)?.fenced === false)) break;
    await sleep(250);
  }
}
