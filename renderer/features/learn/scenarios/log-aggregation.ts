// Log aggregation: the service-logs workload writes the log lines of five services, keyed by
// service, to demo.service-logs, and its group demo.service-logs.error-counter counts them per
// level. The learner searches across all services at once with the Messages screen's filter
// (browse with field filters, read on the server); the check runs that same filtered browse and
// compares it with the lines it finds itself in an unfiltered read. After a stop, the group's
// ERROR count equals the ERROR lines the filter finds. Topic and group are the workload's
// (see workload-steps.ts).
import type { MessageFilter } from '../../../../main/contract/index.ts';
import type { LearnContext, Scenario } from '../scenario.ts';
import { byKey, readSince, running, startStep, stopWorkload, workloadStats, type DemoRecord } from './workload-steps.ts';

const TOPIC = 'demo.service-logs';
const RATE = 50;
/** The workload's services (main/server/workloads/service-logs.ts). */
const SERVICES = 5;
const SERVICE = 'payments';
const LEVEL = 'ERROR';
export const LOG_FILTER: MessageFilter = { fields: [{ path: 'service', equals: SERVICE }, { path: 'level', equals: LEVEL }] };
const messagesScreen = `/topics/${encodeURIComponent(TOPIC)}?tab=messages`;
const where = (r: DemoRecord) => `${r.partition}:${r.offset}`;
const is = (r: DemoRecord, service: string | null, level: string) => (service === null || r.value?.service === service) && r.value?.level === level;

/** The ERROR count the error-counter group computed ("ERROR 3 · WARN 10 · ..."), or null. */
const countedErrors = (summary: string | null) => {
  const m = /(?:^| )ERROR (\d+)/.exec(summary ?? '');
  return m ? Number(m[1]) : null;
};

async function filtered(ctx: LearnContext, since: number) {
  // Unfiltered first: every line it finds must then be in the filtered read, which sees at least as much.
  const all = await readSince(ctx, TOPIC, since);
  const hits = await readSince(ctx, TOPIC, since, LOG_FILTER);
  return { all, hits, expected: all.filter((r) => is(r, SERVICE, LEVEL)) };
}

export const logAggregation: Scenario = {
  id: 'log-aggregation',
  title: 'Log aggregation',
  concept: 'Log aggregation sends the logs of many services to one topic, so they can be searched together and counted by consumers instead of on every machine.',
  creates: { topics: [], groups: [] },
  cleanup: (ctx) => stopWorkload(ctx, 'service-logs'),
  steps: [
    startStep(
      'service-logs',
      RATE,
      'Start the service logs',
      `On the “Workloads” screen start the Service logs at ${RATE} messages a second, or let the app start them. Five fake services write their log lines, DEBUG to ERROR, as JSON to ${TOPIC}, each keyed by the service's name.`,
    ),
    {
      id: 'all-services',
      title: 'Five services, one topic',
      text: `Open the “Messages” tab of ${TOPIC}: the lines of all five services arrive in one topic. The key is the service, so each service's lines stay in one partition, in the order it wrote them.`,
      target: { screen: messagesScreen, name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const r = await running(ctx, 'service-logs');
        if ('not' in r) return r.not;
        const services = byKey(await readSince(ctx, TOPIC, r.run.startedAt));
        const parts = [...services].sort(([a], [b]) => a.localeCompare(b)).map(([s, ls]) => ({ s, n: ls.length, ps: [...new Set(ls.map((l) => l.partition))] }));
        return {
          done: parts.length >= SERVICES && parts.every((p) => p.ps.length === 1),
          observed: `Since the start: ${parts.map((p) => `${p.s} ${p.n} line(s) in partition ${p.ps.join(' and ')}`).join(', ') || 'no lines yet'}.`,
        };
      },
    },
    {
      id: 'search',
      title: `Search: ${LEVEL} lines of ${SERVICE}`,
      text: `In the “Messages” tab choose “Earliest”, type service=${SERVICE} level=${LEVEL} into “Filter” and click “Load”. The console reads the topic on the server and keeps only the lines whose JSON value has both fields, so you see the ${SERVICE} errors among thousands of lines.`,
      target: { screen: messagesScreen, name: 'message-filter' },
      action: null,
      check: async (ctx) => {
        const r = await running(ctx, 'service-logs');
        if ('not' in r) return r.not;
        const { all, hits, expected } = await filtered(ctx, r.run.startedAt);
        const wrong = hits.filter((h) => !is(h, SERVICE, LEVEL));
        const got = new Set(hits.map(where));
        const missed = expected.filter((e) => !got.has(where(e)));
        return {
          done: hits.length > 0 && wrong.length === 0 && missed.length === 0,
          observed: `The filter service=${SERVICE} level=${LEVEL} keeps ${hits.length} of ${all.length} line(s) since the start${wrong.length ? `, ${wrong.length} of them not ${SERVICE} ${LEVEL}` : ''}${missed.length ? `, missing ${missed.length}` : ''}.`,
        };
      },
    },
    {
      id: 'count-errors',
      title: 'The error counter agrees',
      text: `Stop the Service logs, or let the app stop them; the group reads to the end first. The count of ${LEVEL} lines the group demo.service-logs.error-counter shows on the “Workloads” screen then equals the ${LEVEL} lines the filter level=${LEVEL} finds.`,
      target: { screen: '/workloads', name: 'workload-stop:service-logs' },
      action: { label: 'Stop the service logs', run: (ctx) => stopWorkload(ctx, 'service-logs') },
      check: async (ctx) => {
        const w = await workloadStats(ctx, 'service-logs');
        if (w.state !== 'stopped' || w.startedAt === null) return { done: false, observed: `The service logs are ${w.state}.` };
        const errors = await readSince(ctx, TOPIC, w.startedAt, { fields: [{ path: 'level', equals: LEVEL }] });
        const counted = countedErrors(w.summary);
        return {
          done: w.consumed === w.sent && counted === errors.length && errors.every((e) => is(e, null, LEVEL)),
          observed: `Stopped after ${w.sent} line(s), ${w.consumed} read by the group; it counted ${counted ?? 'no'} ${LEVEL} line(s), the filter finds ${errors.length}.`,
        };
      },
    },
  ],
};
