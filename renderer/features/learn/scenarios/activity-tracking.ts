// Activity tracking: the clickstream workload writes page views and clicks to demo.clickstream,
// keyed by user, and its consumer group demo.clickstream.active-users counts the users seen in
// the last 30 s. The checks read the topic since the run began (every user's events in one
// partition, in the order sent: the workload numbers its events), the group's count through the
// workloads API with the group's state and lag, and after a stop that the group read every
// event and left. The topic and group are the workload's (see workload-steps.ts).
import type { Scenario } from '../scenario.ts';
import { byKey, readSince, running, startStep, stopWorkload, workloadStats } from './workload-steps.ts';

const TOPIC = 'demo.clickstream';
export const ACTIVE_USERS_GROUP = 'demo.clickstream.active-users';
const RATE = 20;
const ENOUGH = 100;
const WINDOW_MS = 30_000;

export const activityTracking: Scenario = {
  id: 'activity-tracking',
  title: 'Activity tracking',
  concept: 'Activity tracking writes what users do as events keyed by user, so each user’s events stay in order in one partition while consumers compute live views such as who is active.',
  creates: { topics: [], groups: [] },
  cleanup: (ctx) => stopWorkload(ctx, 'clickstream'),
  steps: [
    startStep(
      'clickstream',
      RATE,
      'Start the clickstream',
      `On the “Workloads” screen start the Clickstream at ${RATE} messages a second, or let the app start it. It writes page views and clicks of a few hundred users to ${TOPIC}, with the user as the key, and runs a consumer group that reads them back.`,
    ),
    {
      id: 'per-user-order',
      title: 'One user, one partition, in order',
      text: `Open the “Messages” tab of ${TOPIC} and look at the keys: the producer hashes the key to pick the partition, so every event of one user lands in the same partition. Within a partition the offsets keep the order they were sent in, so each user's history reads in order.`,
      target: { screen: `/topics/${encodeURIComponent(TOPIC)}?tab=messages`, name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const r = await running(ctx, 'clickstream');
        if ('not' in r) return r.not;
        const events = await readSince(ctx, TOPIC, r.run.startedAt);
        const users = byKey(events);
        const split = [...users].filter(([, es]) => new Set(es.map((e) => e.partition)).size > 1).map(([u]) => u);
        // The workload numbers its events in the order it sends them (`event`); per partition in offset order they only go up.
        const disordered = [...users].filter(([, es]) => es.some((e, i) => i > 0 && Number(e.value?.event) <= Number(es[i - 1].value?.event))).map(([u]) => u);
        const [busiest, theirs] = [...users].sort((a, b) => b[1].length - a[1].length)[0] ?? ['nobody', []];
        const observed =
          `${events.length} event(s) of ${users.size} user(s) since the start; ${split.length ? `in more than one partition: ${split.join(', ')}` : 'every user in one partition'}` +
          `${disordered.length ? `; out of order: ${disordered.join(', ')}` : ', in the order sent'} (${busiest}: ${theirs.length} events in partition ${theirs[0]?.partition ?? '?'}).`;
        return { done: events.length >= ENOUGH && split.length === 0 && disordered.length === 0, observed };
      },
    },
    {
      id: 'active-users',
      title: 'A live "active users" count',
      text: `The group ${ACTIVE_USERS_GROUP} reads every event and remembers when it last saw each user. Its count of users active in the last 30 seconds shows on the Clickstream card of the “Workloads” screen, and its lag on the group's screen stays near 0.`,
      target: { screen: '/workloads', name: 'workload-summary:clickstream' },
      action: null,
      check: async (ctx) => {
        const r = await running(ctx, 'clickstream');
        if ('not' in r) return r.not;
        const active = Number(/^(\d+) active users/.exec(r.run.summary ?? '')?.[1] ?? 0);
        const g = await ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: ACTIVE_USERS_GROUP });
        const lag = g.offsets.filter((o) => o.topic === TOPIC).reduce((n, o) => n + (o.lag ?? 0), 0);
        const recent = byKey(await readSince(ctx, TOPIC, Math.max(r.run.startedAt, Date.now() - WINDOW_MS))).size;
        return {
          done: active > 0 && g.state === 'STABLE' && g.members.length === 1,
          observed: `The group (${g.state}, ${g.members.length} member(s), lag ${lag}) counts ${active} active user(s) in the last 30 s; ${TOPIC} has events of ${recent} user(s) in that time.`,
        };
      },
    },
    {
      id: 'stop',
      title: 'Stop: the group reads to the end',
      text: `Stop the Clickstream on the “Workloads” screen, or let the app stop it. The producer stops first; the group reads what is left, commits its offsets and leaves, so its lag is 0 and the group is empty.`,
      target: { screen: '/workloads', name: 'workload-stop:clickstream' },
      action: { label: 'Stop the clickstream', run: (ctx) => stopWorkload(ctx, 'clickstream') },
      check: async (ctx) => {
        const w = await workloadStats(ctx, 'clickstream');
        if (w.state !== 'stopped') return { done: false, observed: `The clickstream is ${w.state}.` };
        const g = await ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: ACTIVE_USERS_GROUP });
        const lag = g.offsets.filter((o) => o.topic === TOPIC).reduce((n, o) => n + (o.lag ?? 0), 0);
        return {
          done: w.sent > 0 && w.consumed === w.sent && lag === 0 && g.state === 'EMPTY',
          observed: `Stopped after ${w.sent} event(s); the group read ${w.consumed}, its lag is ${lag} and it is ${g.state}.`,
        };
      },
    },
  ],
};
