// Consumer groups: list with state and lag, detail with member assignments and per-partition
// lag, offset reset (preview, then apply only to an inactive group, as kafka-consumer-groups
// does), delete.
import type { Admin } from '@platformatic/kafka';
import type { GroupDetail, GroupOffset, GroupSummary, ResetOffsetsRequestSchema, ResetOffsetsResponse } from '../contract/index.ts';
import type { z } from 'zod';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';
import { listOffsets, LATEST, pkey, readableRanges, type PartitionKey } from './offsets.ts';
import { topicMeta } from './records.ts';

export interface Committed {
  topic: string;
  partition: number;
  offset: number | null;
}

export async function committedOffsets(admin: Admin, groupIds: string[]): Promise<Map<string, Committed[]>> {
  const out = new Map<string, Committed[]>(groupIds.map((g) => [g, []]));
  if (groupIds.length === 0) return out;
  const res = await admin.listConsumerGroupOffsets({ groups: groupIds });
  for (const g of res) {
    out.set(
      g.groupId,
      g.topics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset < 0n ? null : Number(p.committedOffset),
        })),
      ),
    );
  }
  return out;
}

async function endOffsets(conn: KafkaConnection, committed: Committed[]): Promise<Map<PartitionKey, number | null>> {
  const unique = new Map(committed.map((c) => [pkey(c.topic, c.partition), { topic: c.topic, partition: c.partition }]));
  return listOffsets(conn, [...unique.values()], LATEST);
}

const lagOf = (committed: number | null, end: number | null | undefined) =>
  committed === null || end === null || end === undefined ? null : Math.max(0, end - committed);

export async function listGroups(conn: KafkaConnection): Promise<GroupSummary[]> {
  const admin = conn.admin;
  const groups = [...(await admin.listGroups()).values()];
  const ids = groups.map((g) => g.id).sort();
  if (ids.length === 0) return [];
  const [described, offsets] = await Promise.all([
    admin.describeGroups({ groups: ids }).catch(() => null),
    committedOffsets(admin, ids).catch(() => null),
  ]);
  const ends = offsets ? await endOffsets(conn, [...offsets.values()].flat()).catch(() => null) : null;
  return ids.map((id) => {
    const base = groups.find((g) => g.id === id)!;
    const d = described?.get(id);
    const committed = offsets?.get(id) ?? [];
    let lag: number | null = offsets && ends ? 0 : null;
    for (const c of committed) {
      const l = lagOf(c.offset, ends?.get(pkey(c.topic, c.partition)));
      if (lag !== null && l !== null) lag += l;
    }
    return {
      groupId: id,
      state: d?.state ?? base.state ?? 'UNKNOWN',
      protocolType: base.protocolType || d?.protocolType || '',
      members: d?.members.size ?? 0,
      topics: [...new Set(committed.map((c) => c.topic))].sort(),
      lag,
    };
  });
}

export async function describeGroup(conn: KafkaConnection, groupId: string): Promise<GroupDetail> {
  const admin = conn.admin;
  const described = await admin.describeGroups({ groups: [groupId] });
  const d = described.get(groupId);
  if (!d || (d.state === 'DEAD' && d.members.size === 0 && !(await hasOffsets(admin, groupId)))) {
    throw new ConsoleError('GROUP_ID_NOT_FOUND', `Group ${groupId} does not exist.`, 404);
  }
  const members = [...d.members.values()].map((m) => ({
    memberId: m.id,
    clientId: m.clientId,
    host: m.clientHost,
    groupInstanceId: m.groupInstanceId ?? null,
    assignments: [...(m.assignments?.values() ?? [])].map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) })),
  }));
  const owner = new Map<PartitionKey, string>();
  for (const m of members) for (const a of m.assignments) for (const p of a.partitions) owner.set(pkey(a.topic, p), m.memberId);

  const committed = (await committedOffsets(admin, [groupId])).get(groupId) ?? [];
  const known = new Set(committed.map((c) => pkey(c.topic, c.partition)));
  // Assigned partitions without a commit yet still matter: they are where lag starts.
  for (const [k, memberId] of owner) {
    if (known.has(k)) continue;
    const i = k.lastIndexOf(':');
    committed.push({ topic: k.slice(0, i), partition: Number(k.slice(i + 1)), offset: null });
    void memberId;
  }
  const ends = await endOffsets(conn, committed);
  const offsets: GroupOffset[] = committed
    .map((c) => {
      const end = ends.get(pkey(c.topic, c.partition)) ?? null;
      return {
        topic: c.topic,
        partition: c.partition,
        committed: c.offset,
        endOffset: end,
        lag: lagOf(c.offset, end),
        memberId: owner.get(pkey(c.topic, c.partition)) ?? null,
      };
    })
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { groupId, state: d.state, protocolType: d.protocolType, protocol: d.protocol, members, offsets };
}

async function hasOffsets(admin: Admin, groupId: string) {
  const c = await committedOffsets(admin, [groupId]).catch(() => null);
  return (c?.get(groupId)?.length ?? 0) > 0;
}

export async function resetOffsets(
  conn: KafkaConnection,
  groupId: string,
  req: z.output<typeof ResetOffsetsRequestSchema>,
): Promise<ResetOffsetsResponse> {
  const admin = conn.admin;
  const committed = (await committedOffsets(admin, [groupId])).get(groupId) ?? [];
  let targets: { topic: string; partition: number }[];
  if (req.topic) {
    const t = await topicMeta(conn, req.topic);
    targets = t.partitions.map(({ partition }) => ({ topic: req.topic!, partition }));
  } else {
    targets = committed.map(({ topic, partition }) => ({ topic, partition }));
  }
  if (targets.length === 0) throw new ConsoleError('BAD_REQUEST', `Group ${groupId} has no committed offsets; choose a topic to reset.`);

  const ranges = await readableRanges(conn, targets);
  const byTime = req.strategy === 'timestamp' ? await listOffsets(conn, targets, BigInt(req.timestamp!)) : null;
  const current = new Map(committed.map((c) => [pkey(c.topic, c.partition), c.offset]));
  const changes = targets.map(({ topic, partition }) => {
    const k = pkey(topic, partition);
    const { start, end } = ranges.get(k)!;
    const target =
      req.strategy === 'earliest'
        ? start
        : req.strategy === 'latest'
          ? end
          : req.strategy === 'timestamp'
            ? (byTime!.get(k) ?? end)
            : Math.min(Math.max(req.offset!, start), end);
    return { topic, partition, current: current.get(k) ?? null, target };
  });

  if (!req.dryRun) {
    const d = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
    if (d && d.state !== 'EMPTY' && d.state !== 'DEAD') {
      throw new ConsoleError(
        'NON_EMPTY_GROUP',
        `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${d.state}.`,
        409,
      );
    }
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const c of changes) byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), { partition: c.partition, offset: BigInt(c.target) }]);
    await admin.alterConsumerGroupOffsets({
      groupId,
      topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
    });
  }
  return { applied: !req.dryRun, changes };
}

export async function deleteGroup(conn: KafkaConnection, groupId: string): Promise<void> {
  await conn.admin.deleteGroups({ groups: [groupId] });
}

export async function topicGroups(conn: KafkaConnection, topic: string) {
  const groups = await listGroups(conn);
  const withTopic = groups.filter((g) => g.topics.includes(topic));
  const offsets = await committedOffsets(conn.admin, withTopic.map((g) => g.groupId));
  const all = [...offsets.values()].flat().filter((c) => c.topic === topic);
  const ends = await endOffsets(conn, all);
  return withTopic.map((g) => {
    let lag: number | null = 0;
    for (const c of (offsets.get(g.groupId) ?? []).filter((c) => c.topic === topic)) {
      const l = lagOf(c.offset, ends.get(pkey(c.topic, c.partition)));
      lag = l === null || lag === null ? lag : lag + l;
    }
    return { groupId: g.groupId, lag };
  });
}
