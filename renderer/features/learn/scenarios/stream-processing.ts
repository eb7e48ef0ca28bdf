// Stream processing: the stream-processor workload writes clickstream traffic to
// demo.clickstream, and its group counts page views per page in 10 s tumbling windows into
// demo.pageviews-per-window. The checks recount each written window from demo.clickstream
// itself (views with a timestamp in the window) and read the group's lag as the Consumer groups
// screen does. The demo.* topics and the group are the workload's own (reset stops it and leaves
// them, as the Workloads screen would), so the scenario creates nothing.
import type { LearnContext, Scenario } from '../scenario.ts';
import { readSince, running, startWorkload, stopWorkload, workloadStats } from './workload-steps.ts';

export const CLICKS_TOPIC = 'demo.clickstream';
export const WINDOWS_TOPIC = 'demo.pageviews-per-window';
export const PROCESSOR_GROUP = 'demo.stream-processor.page-view-windows';
const WINDOW_MS = 10_000;
const RATE = 20;

const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);
const group = (ctx: LearnContext) => ctx.api('groupDetail', { clusterId: ctx.clusterId, groupId: PROCESSOR_GROUP });
const lagOf = (os: { topic: string; lag: number | null }[]) => os.filter((o) => o.topic === CLICKS_TOPIC).reduce((n, o) => n + (o.lag ?? 0), 0);

/** The windows written since this run started, each recounted from the clickstream. */
async function windowsMatch(ctx: LearnContext) {
  const r = await running(ctx, 'stream-processor');
  if ('not' in r) return r.not;
  const { startedAt } = r.run;
  const sums = new Map<number, number>();
  for (const { value: v } of await readSince(ctx, WINDOWS_TOPIC, startedAt)) {
    if (typeof v?.windowStart === 'number' && typeof v.views === 'number' && v.windowStart >= startedAt) sums.set(v.windowStart, (sums.get(v.windowStart) ?? 0) + v.views);
  }
  if (sums.size === 0) return { done: false, observed: `No window of this run in ${WINDOWS_TOPIC} yet: the first full 10 s window closes 2 s after it ends.` };
  const clicks = await readSince(ctx, CLICKS_TOPIC, Math.min(...sums.keys()));
  const seen = [...sums].map(([start, sum]) => {
    const views = clicks.filter((c) => c.timestamp >= start && c.timestamp < start + WINDOW_MS && c.value?.action === 'view').length;
    return { start, sum, views };
  });
  const wrong = seen.filter((s) => s.sum !== s.views);
  return {
    done: wrong.length === 0,
    observed: seen.map((s) => `${hhmmss(s.start)}–${hhmmss(s.start + WINDOW_MS)}: ${s.sum} counted, ${s.views} views in ${CLICKS_TOPIC}`).join('; ') + '.',
  };
}

export const streamProcessing: Scenario = {
  id: 'stream-processing',
  title: 'Stream processing',
  concept: 'A stream processor is a consumer group that reads a topic, computes something, here page views per 10 s window, and writes the result to another topic.',
  creates: { topics: [], groups: [] },
  steps: [
    {
      id: 'start',
      title: 'Start the processor',
      text: `Start the stream processor on the “Workloads” screen, or let the app start it. It writes clicks to ${CLICKS_TOPIC}, and its consumer group ${PROCESSOR_GROUP} reads them back to count them.`,
      target: { screen: '/workloads', name: 'workload-start:stream-processor' },
      action: { label: 'Start the stream processor', run: (ctx) => startWorkload(ctx, 'stream-processor', RATE) },
      check: async (ctx) => {
        const w = await workloadStats(ctx, 'stream-processor');
        const g = await group(ctx);
        return { done: w.state === 'running' && g.state === 'STABLE' && g.members.length === 1, observed: `The stream processor is ${w.state}; ${PROCESSOR_GROUP} is ${g.state} with ${g.members.length} member(s).` };
      },
    },
    {
      id: 'windows',
      title: 'Counts per window',
      text: `Each 10 s window, by the messages' timestamps, is written to ${WINDOWS_TOPIC} once a message 2 s past its end arrives: one message per page with its view count. Open its “Messages” tab; the counts of a window add up to the views in ${CLICKS_TOPIC} during those 10 s.`,
      target: { screen: `/topics/${encodeURIComponent(WINDOWS_TOPIC)}?tab=messages`, name: 'topic-tab:messages' },
      action: null,
      check: windowsMatch,
    },
    {
      id: 'lag',
      title: 'The processor’s lag',
      text: `The processor is an ordinary consumer group, so its progress is its committed offsets. “Offsets and lag” shows how far it is behind the end of ${CLICKS_TOPIC}, a few messages while it keeps up.`,
      target: { screen: `/groups/${encodeURIComponent(PROCESSOR_GROUP)}`, name: 'group-offsets' },
      action: null,
      check: async (ctx) => {
        const g = await group(ctx);
        const os = g.offsets.filter((o) => o.topic === CLICKS_TOPIC);
        const committed = os.filter((o) => o.committed !== null).length;
        return {
          done: g.state === 'STABLE' && os.length > 0 && committed === os.length,
          observed: `${PROCESSOR_GROUP} is ${g.state}, ${committed} of ${os.length} partition(s) committed, lag ${lagOf(g.offsets)}.`,
        };
      },
    },
    {
      id: 'stop',
      title: 'Stop: lag 0',
      text: `Stop the processor on the “Workloads” screen, or let the app stop it. Its producer stops first, the group reads to the end of ${CLICKS_TOPIC}, commits and leaves, so the lag is 0 and the group is empty.`,
      target: { screen: '/workloads', name: 'workload-stop:stream-processor' },
      action: { label: 'Stop the stream processor', run: (ctx) => stopWorkload(ctx, 'stream-processor') },
      check: async (ctx) => {
        const g = await group(ctx);
        const lag = lagOf(g.offsets);
        return { done: g.state === 'EMPTY' && g.members.length === 0 && lag === 0 && g.offsets.length > 0, observed: `${PROCESSOR_GROUP} is ${g.state} with ${g.members.length} member(s), lag ${lag}.` };
      },
    },
  ],
  cleanup: (ctx) => stopWorkload(ctx, 'stream-processor'),
};
