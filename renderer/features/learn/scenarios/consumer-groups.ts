// Consumer groups: consumers sharing a group id split a topic's partitions between them. The
// console has no consumer of its own to start (its API reads topics without a group), so the
// steps that need members ask the learner to run two ordinary Kafka consumers with the group id,
// and there is no "Do it for me" for them. Every check reads the group as DescribeGroups and
// OffsetFetch answer it: members, each member's assignment, committed offsets and lag.
import type { GroupDetail } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { produceEach, topicReady } from './common.ts';

export const GROUPS_TOPIC = 'learn.groups';
export const GROUPS_GROUP = 'learn.groups-app';
const PARTITIONS = 4;
const PER_PARTITION = 3;
const GROUP_SCREEN = `/groups/${encodeURIComponent(GROUPS_GROUP)}`;
const ALL = Array.from({ length: PARTITIONS }, (_, p) => p);

const group = (ctx: LearnContext) => ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: GROUPS_GROUP });
const assigned = (m: GroupDetail['members'][number]) => m.assignments.filter((a) => a.topic === GROUPS_TOPIC).flatMap((a) => a.partitions);
const describeMembers = (g: GroupDetail) =>
  g.members.map((m) => `${m.clientId || m.memberId} reads partition(s) ${assigned(m).join(', ') || 'none'}`).join(' · ') || 'no members';

/** Done when the group is stable with `count` members that together read every partition exactly once. */
async function splitBetween(ctx: LearnContext, count: number) {
  const g = await group(ctx);
  const parts = g.members.flatMap(assigned).sort((a, b) => a - b);
  const done =
    g.state === 'STABLE' &&
    g.members.length === count &&
    g.members.every((m) => assigned(m).length > 0) &&
    parts.join() === ALL.join();
  return { done, observed: `${GROUPS_GROUP} is ${g.state} with ${g.members.length} member(s): ${describeMembers(g)}.` };
}

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
      id: 'two-members',
      title: 'Two consumers join the group',
      text: `Start two consumers in a terminal with the group id ${GROUPS_GROUP}, each one for example kafka-console-consumer.sh --topic ${GROUPS_TOPIC} --group ${GROUPS_GROUP} --from-beginning --bootstrap-server and an address from the “Bootstrap servers” column of the Clusters screen. The app cannot start consumers for you. The group's coordinator then splits the ${PARTITIONS} partitions between the two members, which the “Members” table shows.`,
      target: { screen: GROUP_SCREEN, name: 'group-members' },
      action: null,
      check: (ctx) => splitBetween(ctx, 2),
    },
    {
      id: 'lag-zero',
      title: 'They read and commit',
      text: `Each member reads only its own partitions and commits how far it got. Once both have read everything, “Offsets and lag” shows a committed offset for every partition and a lag of 0.`,
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
      id: 'one-leaves',
      title: 'One consumer leaves',
      text: `Stop one of the two consumers with Ctrl+C. It leaves the group, the group rebalances, and the remaining member now reads all ${PARTITIONS} partitions.`,
      target: { screen: GROUP_SCREEN, name: 'group-members' },
      action: null,
      check: (ctx) => splitBetween(ctx, 1),
    },
    {
      id: 'empty',
      title: 'The group keeps its offsets',
      text: 'Stop the last consumer too. The group is empty now but keeps its committed offsets, so a consumer that joins later goes on where the group stopped instead of starting over.',
      target: { screen: GROUP_SCREEN, name: 'group-offsets' },
      action: null,
      check: async (ctx) => {
        const g = await group(ctx);
        const committed = g.offsets.filter((o) => o.topic === GROUPS_TOPIC && o.committed !== null).length;
        return { done: g.state === 'EMPTY' && g.members.length === 0 && committed === PARTITIONS, observed: `${GROUPS_GROUP} is ${g.state} with ${g.members.length} member(s) and ${committed} committed partition(s).` };
      },
    },
  ],
};
