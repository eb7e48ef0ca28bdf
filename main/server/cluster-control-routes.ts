// Routes of the bundled cluster's control: the event timeline now (GET .../events?since=N).
// Any other cluster answers `available: false` with the reason, never an error page: a remote
// Kafka cluster has no supervisor and no metadata log the console can read.
import type { EventsPage } from '../contract/events.ts';
import { ConsoleError } from '../kafka/errors.ts';
import type { BundledCluster } from './cluster-control.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export const NO_CONTROL_REASON =
  'Node controls, the replica map and the event timeline exist for the bundled cluster only: they need its supervisor and its nodes\u2019 metadata log, which a remote Kafka cluster does not expose.';

/** The bundled cluster's control when `clusterId` names it and the console runs beside its supervisor, else null. */
export function bundledOf(ctx: ServerContext, clusterId: string): BundledCluster | null {
  if (!ctx.registry.list().some((c) => c.id === clusterId)) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${clusterId}`, 404);
  return clusterId === ctx.registry.bundledId ? ctx.bundled : null;
}

export function clusterControlRoutes(r: Router, ctx: ServerContext): void {
  r.on('clusterEvents', async ({ params, query }): Promise<EventsPage> => {
    const b = bundledOf(ctx, params.clusterId);
    if (!b) return { available: false, reason: NO_CONTROL_REASON, session: '', events: [], next: 0, missed: 0, sources: { supervisor: 'none', metadata: 'none' } };
    return { available: true, reason: null, ...b.events.read(query.since, query.limit), sources: b.sources };
  });
}
