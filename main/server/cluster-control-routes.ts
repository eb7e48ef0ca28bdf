// Routes of the bundled cluster's control: its state (nodes, quorum, partitions), node actions
// forwarded to the supervisor, what an action will do (asked before the user confirms), the
// event timeline (GET .../events?since=N), preferred-leader elections and partition reassignment
// (the replica map's "Reassign to…", and its progress from ListPartitionReassignments). Another cluster gets
// `available: false` with the reason for the reads and a 404 with it for the actions: a remote
// Kafka cluster has no supervisor and no metadata log the console can read.
import { z } from 'zod';
import { NodeActionSchema, type ClusterState } from '../contract/cluster-control.ts';
import type { EventsPage } from '../contract/events.ts';
import { electPreferredLeaders } from '../kafka/elect-leaders.ts';
import { ConsoleError } from '../kafka/errors.ts';
import { listReassignments, reassignPartitions } from '../kafka/reassign.ts';
import type { BundledCluster } from './cluster-control.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';
import { parseOrThrow } from './validation.ts';

export const NO_CONTROL_REASON =
  'Node controls, the replica map and the event timeline exist for the bundled cluster only: they need its supervisor and its nodes\u2019 metadata log, which a remote Kafka cluster does not expose.';
const NO_SUPERVISOR_REASON =
  'This console runs without the cluster\u2019s supervisor (started with --bootstrap, or its control endpoint could not be opened): node controls, the replica map and the event timeline need it.';

/** The bundled cluster's control when `clusterId` names it and the console runs beside its supervisor, else null. */
export function bundledOf(ctx: ServerContext, clusterId: string): BundledCluster | null {
  if (!ctx.registry.list().some((c) => c.id === clusterId)) throw new ConsoleError('NOT_FOUND', `Unknown cluster ${clusterId}`, 404);
  return clusterId === ctx.registry.bundledId ? ctx.bundled : null;
}

export function unavailableReason(ctx: ServerContext, clusterId: string): string {
  return clusterId === ctx.registry.bundledId ? NO_SUPERVISOR_REASON : NO_CONTROL_REASON;
}

function requireBundled(ctx: ServerContext, clusterId: string): BundledCluster {
  const b = bundledOf(ctx, clusterId);
  if (!b) throw new ConsoleError('NOT_AVAILABLE', unavailableReason(ctx, clusterId), 404);
  return b;
}

const NodeIdSchema = z.coerce.number().int().positive();
const nodeIdOf = (raw: string) => parseOrThrow(NodeIdSchema, raw);

export function clusterControlRoutes(r: Router, ctx: ServerContext): void {
  r.on('clusterEvents', async ({ params, query }): Promise<EventsPage> => {
    const b = bundledOf(ctx, params.clusterId);
    if (!b) {
      const none = { supervisor: 'none', metadata: 'none' };
      return { available: false, reason: unavailableReason(ctx, params.clusterId), session: '', events: [], next: 0, missed: 0, sources: none };
    }
    return { available: true, reason: null, ...b.events.read(query.since, query.limit), sources: b.sources };
  });
  r.on('clusterState', async ({ params }): Promise<ClusterState> => {
    const b = bundledOf(ctx, params.clusterId);
    if (b) return b.state();
    const quorum = { voters: [], majority: 0, liveVoters: 0 };
    const sources = { supervisor: 'none', metadata: 'none', nodes: 'none' };
    return { available: false, reason: unavailableReason(ctx, params.clusterId), clusterId: null, controllerId: -1, nodes: [], quorum, partitions: [], metadataOffset: -1, sources };
  });
  r.on('nodeAction', async ({ params }) => {
    const b = requireBundled(ctx, params.clusterId);
    const action = parseOrThrow(NodeActionSchema, params.action);
    return b.act(action, nodeIdOf(params.nodeId));
  });
  r.on('addNode', async ({ params }) => requireBundled(ctx, params.clusterId).addNode());
  r.on('removeNode', async ({ params }) => requireBundled(ctx, params.clusterId).removeNode(nodeIdOf(params.nodeId)));
  r.on('actionImpact', async ({ params, query }) => requireBundled(ctx, params.clusterId).impact(query.action, query.nodeId ?? null));
  r.on('reassign', async ({ params, body }) => {
    requireBundled(ctx, params.clusterId);
    return reassignPartitions(ctx.registry.connection(params.clusterId), body);
  });
  r.on('reassignments', async ({ params, query }) => {
    requireBundled(ctx, params.clusterId);
    return listReassignments(ctx.registry.connection(params.clusterId), [query]);
  });
  r.on('electLeaders', async ({ params, body }) => {
    requireBundled(ctx, params.clusterId);
    const cluster = ctx.registry.list().find((c) => c.id === params.clusterId)!;
    return electPreferredLeaders(cluster.bootstrap, body.partitions);
  });
}
