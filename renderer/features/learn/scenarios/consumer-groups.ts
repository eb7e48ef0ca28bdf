// Consumer groups: consumers sharing a group id split a topic's partitions between them. The
// members are consumers the console runs in the group (setGroupMembers, the group screen's
// "Members run by the console"): 1 owns all 3 partitions, 3 own one each, a 4th idles with
// none; records sent then are read only by the members that own partitions. Every check reads
// the group as DescribeGroups and OffsetFetch answer it (members, each member's assignment,
// committed offsets and lag), and what each console member says it read.
// Deviation from a learner's own application: the members live in the console server's process
// (group-members.ts), with the range assignor of @platformatic/kafka.
import type { GroupDetail } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { produceEach, topicReady } from './common.ts';

export const GROUPS_TOPIC = 'learn.groups';
export const GROUPS_GROUP = 'learn.groups-app';
const PARTITIONS = 3;
const PER_PARTITION = 3;
const MORE_PER_PARTITION = 2;
const GROUP_SCREEN = `/groups/${encodeURIComponent(GROUPS_GROUP)}`;
const ALL = Array.from({ length: PARTITIONS }, (_, p) => p);

const group = (ctx: LearnContext) => ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: GROUPS_GROUP });
const assigned = (m: GroupDetail['members'][number]) => m.assignments.filter((a) => a.topic === GROUPS_TOPIC).flatMap((a) => a.partitions);
const describeMembers = (g: GroupDetail) =>
  g.members
    .map((m) => `${m.clientId || m.memberId} reads partition(s) ${assigned(m).join(', ') || 'none'}`)
    .sort()
    .join(' · ') || 'no members';
const setMembers = (ctx: LearnContext, count: number) =>
  ctx.api('setGroupMembers', { clusterId: ctx.clusterId }, { group: GROUPS_GROUP, topic: GROUPS_TOPIC, count }).then(() => undefined);
/** What the console's members say of themselves: records read per client id. */
async function consoleMembers(ctx: LearnContext) {
  const { groups } = await ctx.api('listGroupMembers', { clusterId: ctx.clusterId });
  return groups.find((g) => g.group === GROUPS_GROUP)?.members ?? [];
}
const lagOf = (g: GroupDetail) => g.offsets.filter((o) => o.topic === GROUPS_TOPIC).reduce((n, o) => n + (o.lag ?? 0), 0);

/** Done when the group is stable with `count` members, `idle` of them without a partition, together reading every partition exactly once. */
async function splitBetween(ctx: LearnContext, count: number, idle = 0) {
  const g = await group(ctx);
  const parts = g.members.flatMap(assigned).sort((a, b) => a - b);
  const done =
    g.state === 'STABLE' &&
    g.members.length === count &&
    g.members.filter((m) => assigned(m).length === 0).length === idle &&
    parts.join() === ALL.join();
  return { done, observed: `${GROUPS_GROUP} is ${g.state} with ${g.members.length} member(s): ${describeMembers(g)}; lag ${lagOf(g)}.` };
}

const memberStep = (count: number) => ({
  label: `Run ${count} member${count === 1 ? '' : 's'}`,
  run: (ctx: LearnContext) => setMembers(ctx, count),
});

export const consumerGroups: Scenario = {
  id: 'consumer-groups',
  title: 'Consumer groups',
  concept: 'Consumers with the same group id share the work: each partition is read by exactly one member of the group, and the group rebalances when members come and go.',
  creates: { topics: [GROUPS_TOPIC], groups: [GROUPS_GROUP] },
  steps: [
    {
      id: 'produce',
      title: `A topic with ${PARTITIONS} partitions`,
      text: `Create ${GROUPS_TOPIC} with ${PARTITIONS} partitions with “Create topic” and send ${PER_PARTITION} messages to each partition, or let the app do both. The partitions are the units a group shares out.`,
      target: { screen: '/topics', name: 'create-topic' },
      action: {
        label: `Create ${GROUPS_TOPIC} and send ${PARTITIONS * PER_PARTITION}`,
        run: async (ctx) => {
          await ctx.api('createTopic', { clusterId: ctx.clusterId }, { name: GROUPS_TOPIC, partitions: PARTITIONS, replicationFactor: 3 });
          await produceEach(ctx, GROUPS_TOPIC, ALL.flatMap((p) => Array.from({ length: PER_PARTITION }, (_, i) => ({ key: null, value: `job ${p}.${i + 1}`, partition: p }))));
        },
      },
      check: async (ctx) => {
        const ready = await topicReady(ctx, GROUPS_TOPIC, PARTITIONS);
        if (!ready.done || !ready.detail) return ready;
        const sizes = ready.detail.partitions.map((p) => (p.endOffset ?? 0) - (p.startOffset ?? 0));
        return { done: sizes.every((n) => n >= PER_PARTITION), observed: `${GROUPS_TOPIC}: ${sizes.map((n, p) => `partition ${p} holds ${n}`).join(', ')}.` };
      },
    },
    {
      id: 'one-member',
      title: 'One consumer owns every partition',
      text: `On the group's screen, under “Members run by the console”, enter ${GROUPS_TOPIC} and 1, then “Set members”, or let the app do it. The console starts a real consumer with group id ${GROUPS_GROUP}; the group's coordinator gives the only member all ${PARTITIONS} partitions, as the “Members” table shows.`,
      target: { screen: GROUP_SCREEN, name: 'group-console-members' },
      action: memberStep(1),
      check: (ctx) => splitBetween(ctx, 1),
    },
    {
      id: 'lag-zero',
      title: 'It reads and commits',
      text: `The member reads its partitions from the beginning and commits how far it got. Once it has read everything, “Offsets and lag” shows a committed offset for every partition and a lag of 0.`,
      target: { screen: GROUP_SCREEN, name: 'group-offsets' },
      action: null,
      check: async (ctx) => {
        const os = (await group(ctx)).offsets.filter((o) => o.topic === GROUPS_TOPIC);
        const lag = os.reduce((n, o) => n + (o.lag ?? 0), 0);
        const committed = os.filter((o) => o.committed !== null).length;
        return {
          done: committed === PARTITIONS && lag === 0 && os.every((o) => (o.committed ?? 0) >= PER_PARTITION),
          observed: `${committed} of ${PARTITIONS} partitions committed (${os.map((o) => `${o.partition}: ${o.committed ?? 'none'}`).join(', ')}), lag ${lag}.`,
        };
      },
    },
    {
      id: 'three-members',
      title: 'Three consumers split the partitions',
      text: `Set the members to 3. Two more consumers join, the group rebalances, and each of the three members now owns one partition.`,
      target: { screen: GROUP_SCREEN, name: 'group-members' },
      action: memberStep(3),
      check: async (ctx) => {
        const o = await splitBetween(ctx, 3);
        const g = await group(ctx);
        return { ...o, done: o.done && g.members.every((m) => assigned(m).length === 1) };
      },
    },
    {
      id: 'fourth-idles',
      title: 'A fourth consumer idles',
      text: `Set the members to 4. A partition is read by one member of a group only, so with ${PARTITIONS} partitions the fourth member gets none and waits as a spare.`,
      target: { screen: GROUP_SCREEN, name: 'group-members' },
      action: memberStep(4),
      check: (ctx) => splitBetween(ctx, 4, 1),
    },
    {
      id: 'more-records',
      title: 'Only owners read',
      text: `Send ${MORE_PER_PARTITION} more messages to each partition, or let the app send them. The three owners read them and the lag goes back to 0, while the idle member reads nothing.`,
      target: { screen: GROUP_SCREEN, name: 'group-console-members' },
      action: {
        label: `Send ${PARTITIONS * MORE_PER_PARTITION} more`,
        run: (ctx) => produceEach(ctx, GROUPS_TOPIC, ALL.flatMap((p) => Array.from({ length: MORE_PER_PARTITION }, (_, i) => ({ key: null, value: `job ${p}.${PER_PARTITION + i + 1}`, partition: p })))),
      },
      check: async (ctx) => {
        const g = await group(ctx);
        const os = g.offsets.filter((o) => o.topic === GROUPS_TOPIC);
        const lag = lagOf(g);
        const members = await consoleMembers(ctx);
        const idle = members.filter((m) => m.partitions.length === 0);
        const owners = members.filter((m) => m.partitions.length > 0);
        const want = PER_PARTITION + MORE_PER_PARTITION;
        const readByOwners = owners.reduce((n, m) => n + m.consumedThisGeneration, 0);
        return {
          done:
            g.state === 'STABLE' &&
            lag === 0 &&
            os.length === PARTITIONS &&
            os.every((o) => (o.committed ?? 0) >= want) &&
            idle.length === 1 &&
            idle[0].consumedThisGeneration === 0 &&
            readByOwners >= PARTITIONS * MORE_PER_PARTITION,
          observed: `Committed ${os.map((o) => `${o.partition}: ${o.committed ?? 'none'}`).join(', ')}, lag ${lag}; read since the last rebalance: ${members.map((m) => `${m.clientId} ${m.consumedThisGeneration}`).join(', ')}.`,
        };
      },
    },
    {
      id: 'empty',
      title: 'The group keeps its offsets',
      text: 'Set the members to 0: every member leaves the group. The group is empty now but keeps its committed offsets, so a consumer that joins later goes on where the group stopped instead of starting over.',
      target: { screen: GROUP_SCREEN, name: 'group-offsets' },
      action: memberStep(0),
      check: async (ctx) => {
        const g = await group(ctx);
        const committed = g.offsets.filter((o) => o.topic === GROUPS_TOPIC && o.committed !== null).length;
        return {
          done: g.state === 'EMPTY' && g.members.length === 0 && committed === PARTITIONS && lagOf(g) === 0,
          observed: `${GROUPS_GROUP} is ${g.state} with ${g.members.length} member(s), ${committed} committed partition(s), lag ${lagOf(g)}.`,
        };
      },
    },
  ],
  cleanup: (ctx) => setMembers(ctx, 0),
};
