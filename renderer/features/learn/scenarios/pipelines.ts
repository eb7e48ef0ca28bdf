// Real-time pipelines / integration: the pipeline workload (main/server/workloads/pipeline.ts)
// writes purchase events to demo.pipeline.raw; its "enrich" group adds each customer's country
// and tier and writes to demo.pipeline.enriched; its "sink" group writes each event as a row to
// demo.pipeline.sink. The checks read the per-hop rates the runner measures (what the flow view
// on the Workloads screen shows), the enriched events themselves, and after stop count the
// events of this run in each topic: the sink has exactly the events the producer sent. The
// demo.* topics and groups are the workload's own (reset stops it and leaves them), so the
// scenario creates nothing. Deviation from Kafka Connect: the sink stage writes a topic, not an
// external system (pipeline.ts).
import type { WorkloadStats } from '../../../../main/contract/index.ts';
import type { LearnContext, Observation, Scenario } from '../scenario.ts';
import { readSince, running, startStep, stopWorkload, workloadStats } from './workload-steps.ts';

export const PIPELINE_RAW = 'demo.pipeline.raw';
export const PIPELINE_ENRICHED = 'demo.pipeline.enriched';
export const PIPELINE_SINK = 'demo.pipeline.sink';
const RATE = 20;

/** The flow as the flow view shows it: records/s per hop. */
export function flowLine(w: WorkloadStats): string {
  const hops = [`producer ${w.sentPerSec.toFixed(1)}/s → ${w.topic}`];
  for (const st of w.stages) hops.push(`${st.group} reads ${st.consumedPerSec.toFixed(1)}/s, writes ${st.writtenPerSec.toFixed(1)}/s${st.output ? ` → ${st.output}` : ''}`);
  return hops.join(' → ');
}

/** This run's event ids in a topic (every record written since the run started that names one). */
async function idsSince(ctx: LearnContext, topic: string, since: number): Promise<string[]> {
  return (await readSince(ctx, topic, since)).map((r) => r.value?.id).filter((id): id is string => typeof id === 'string');
}

async function sinkMatches(ctx: LearnContext): Promise<Observation> {
  const w = await workloadStats(ctx, 'pipeline');
  if (w.state !== 'stopped' || w.startedAt === null) return { done: false, observed: `The pipeline is ${w.state}.` };
  const [raw, enriched, sink] = await Promise.all([PIPELINE_RAW, PIPELINE_ENRICHED, PIPELINE_SINK].map((t) => idsSince(ctx, t, w.startedAt ?? 0)));
  const inRaw = new Set(raw);
  const inSink = new Set(sink);
  const lost = raw.filter((id) => !inSink.has(id));
  const missing = lost.length;
  const extra = sink.filter((id) => !inRaw.has(id)).length;
  const done = w.sent > 0 && raw.length === w.sent && enriched.length === w.sent && sink.length === w.sent && new Set(sink).size === sink.length && missing === 0 && extra === 0;
  return {
    done,
    observed: `${w.sent} sent; this run's events: ${raw.length} in ${PIPELINE_RAW}, ${enriched.length} in ${PIPELINE_ENRICHED}, ${sink.length} rows in ${PIPELINE_SINK} (${missing} missing${missing ? `: ${lost.slice(0, 3).join(', ')}` : ''}, ${extra} not from the producer).`,
  };
}

export const pipelines: Scenario = {
  id: 'pipelines',
  title: 'Real-time pipelines',
  concept: 'A pipeline is topics joined by processing stages, each an ordinary consumer group that reads one topic and writes the next, so every hop can be watched, scaled and replayed on its own.',
  creates: { topics: [], groups: [] },
  steps: [
    startStep(
      'pipeline',
      RATE,
      'Start the pipeline',
      `Start the pipeline on the “Workloads” screen, or let the app start it. Its producer writes purchase events to ${PIPELINE_RAW}, the enrich stage writes them to ${PIPELINE_ENRICHED}, and the sink stage writes each as a row to ${PIPELINE_SINK}.`,
    ),
    {
      id: 'flow',
      title: 'Records per hop',
      text: `The flow view on the pipeline's card shows each topic and stage, with the records per second of every hop. While it runs, every hop carries about the producer's ${RATE} records a second, a little behind it.`,
      target: { screen: '/workloads', name: 'workload-flow:pipeline' },
      action: null,
      check: async (ctx) => {
        const r = await running(ctx, 'pipeline');
        if ('not' in r) return r.not;
        const w = r.run;
        const rates = [w.sentPerSec, ...w.stages.flatMap((st) => [st.consumedPerSec, st.writtenPerSec])];
        return { done: w.stages.length === 2 && rates.every((x) => x > 0), observed: flowLine(w) + '.' };
      },
    },
    {
      id: 'enriched',
      title: 'The enrich stage adds fields',
      text: `Open the “Messages” tab of ${PIPELINE_ENRICHED}. Each event there is the raw event plus the customer's country and tier, which the enrich stage looked up, and the time it did so.`,
      target: { screen: `/topics/${encodeURIComponent(PIPELINE_ENRICHED)}?tab=messages`, name: 'topic-tab:messages' },
      action: null,
      check: async (ctx) => {
        const r = await running(ctx, 'pipeline');
        if ('not' in r) return r.not;
        const rs = await readSince(ctx, PIPELINE_ENRICHED, r.run.startedAt);
        const ok = rs.filter((x) => typeof x.value?.country === 'string' && typeof x.value.tier === 'string' && typeof x.value.enrichedAt === 'string' && x.key === x.value.user);
        const first = ok[0]?.value;
        return {
          done: rs.length > 0 && ok.length === rs.length,
          observed: `${rs.length} enriched event(s) of this run, ${ok.length} with country and tier${first ? `, e.g. ${String(first.user)}: ${String(first.country)}, ${String(first.tier)}` : ''}.`,
        };
      },
    },
    {
      id: 'stop',
      title: 'Stop: the sink has every event',
      text: `Stop the pipeline on the “Workloads” screen, or let the app stop it. The producer stops first, then each stage reads its topic to the end and finishes its writes, so ${PIPELINE_SINK} ends with exactly the events the producer sent.`,
      target: { screen: '/workloads', name: 'workload-stop:pipeline' },
      action: { label: 'Stop the pipeline', run: (ctx) => stopWorkload(ctx, 'pipeline') },
      check: sinkMatches,
    },
  ],
  cleanup: (ctx) => stopWorkload(ctx, 'pipeline'),
};
