// The cluster events that become chart markers (leader changes, ISR shrinks and expands, a
// partition going offline), from the bundled cluster's timeline (events.ts). A kill moves the
// leadership of every partition the node led, all in one metadata batch: one marker per kind and
// sampling tick says so ("3 leader changes") instead of a fence of lines on the time axis, and
// its label names the partitions. Node down / up and rebalances come from the scrape itself
// (metrics-node-derive.ts), so the supervisor's node events are not repeated here.
import type { ClusterEventInput, ClusterEventKind } from '../contract/events.ts';
import type { Marker } from '../contract/metrics.ts';

export const EVENT_MARKER_KINDS: Partial<Record<ClusterEventKind, { kind: string; one: string; many: string }>> = {
  'leader-changed': { kind: 'leader-change', one: 'leader change', many: 'leader changes' },
  'partition-offline': { kind: 'partition-offline', one: 'partition offline', many: 'partitions offline' },
  'isr-shrunk': { kind: 'isr-shrink', one: 'ISR shrink', many: 'ISR shrinks' },
  'isr-expanded': { kind: 'isr-expand', one: 'ISR expand', many: 'ISR expands' },
};

/** Partitions named in a label at most; the rest are counted. */
const NAMED = 4;

/** One marker per kind for the events of one tick, at the earliest of them. */
export function eventMarkers(events: ClusterEventInput[]): Marker[] {
  const byKind = new Map<{ kind: string; one: string; many: string }, ClusterEventInput[]>();
  for (const e of events) {
    const k = EVENT_MARKER_KINDS[e.kind];
    if (k) byKind.set(k, [...(byKind.get(k) ?? []), e]);
  }
  return [...byKind].map(([k, es]) => {
    const more = es.length > NAMED ? `, and ${es.length - NAMED} more` : '';
    return {
      at: Math.min(...es.map((e) => e.at)),
      kind: k.kind,
      label: `${es.length} ${es.length === 1 ? k.one : k.many}: ${es.slice(0, NAMED).map((e) => e.text).join('; ')}${more}`,
      node: null,
      group: null,
    };
  });
}
