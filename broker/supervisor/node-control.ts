// The operations of the control contract (main/contract/control.ts) on a running Cluster: the
// supervisor's process view of each node joined with what the cluster's Metadata says it leads
// and hosts. Transport-free, so the control endpoint only parses, authenticates and forwards.
//
// remove is a decommission without data movement: partition reassignment
// (AlterPartitionReassignments) is not available to the supervisor yet, so a node that still
// hosts any partition replica is refused with the list of those partitions, and a node that
// hosts none (e.g. an added node no topic was placed on) is stopped and forgotten. Refusing every
// hosted replica also means no removal can leave a partition with fewer replicas than its RF.
// Deviation from Kafka: Kafka unregisters a decommissioned broker (UnregisterBroker); here it is
// fenced by the controller once its heartbeats stop, which drops it from Metadata the same way.

import type { z } from 'zod';
import { controlOps, type ControlOp, type ControlResponse, type NodeList, type NodeStatus } from '../../main/contract/control.ts';
import { fetchPlacement, leadersOn, replicasOn, type ClusterPlacement } from './cluster-metadata.ts';
import { ControlError } from './control-error.ts';
import type { Cluster, NodeInfo } from './supervisor.ts';

type Parsed<O extends ControlOp> = z.output<(typeof controlOps)[O]['request']>;
type Handlers = { [O in ControlOp]: (req: Parsed<O>, signal: AbortSignal) => Promise<ControlResponse<O>> };

/** Why node `id` cannot be removed without moving replicas, or null when nothing is hosted there. */
export function removalRefusal(p: ClusterPlacement, id: number): string | null {
  const hosted = p.partitions.filter((x) => x.replicas.includes(id));
  if (hosted.length === 0) return null;
  const names = hosted.slice(0, 5).map((x) => `${x.topic}-${x.partition}`);
  const more = hosted.length > names.length ? `, and ${hosted.length - names.length} more` : '';
  return (
    `node ${id} hosts replicas of ${hosted.length} partition${hosted.length === 1 ? '' : 's'} (${names.join(', ')}${more}); ` +
    'removing it needs partition reassignment to move them first, which this cluster cannot do yet'
  );
}

export class NodeControl {
  constructor(
    private readonly cluster: Cluster,
    private readonly metadataTimeoutMs = 3000,
  ) {}

  private placement(): Promise<ClusterPlacement> {
    const running = this.cluster.nodes.filter((n) => n.state === 'running');
    return fetchPlacement(running, this.metadataTimeoutMs, this.cluster.auth, this.cluster.trust);
  }

  private status(n: NodeInfo, p: ClusterPlacement | null, now: number): NodeStatus {
    const { id, pid, state, host, port, role, startedAt, lastExit, logFile, metricsUrl } = n;
    return {
      id, pid, state, host, port, role, startedAt, lastExit, logFile, metricsUrl,
      controller: p?.controllerId === id,
      uptimeMs: startedAt === null ? null : now - startedAt,
      leaders: p ? leadersOn(p, id) : null,
      partitions: p ? replicasOn(p, id) : null,
    };
  }

  async list(): Promise<NodeList> {
    let placement: ClusterPlacement | null = null;
    let metadataError: string | null = null;
    try {
      placement = await this.placement();
    } catch (e) {
      metadataError = (e as Error).message;
    }
    const now = Date.now();
    return {
      clusterId: this.cluster.clusterId,
      pid: process.pid,
      controllerId: placement && placement.controllerId >= 0 ? placement.controllerId : null,
      metadataError,
      nodes: this.cluster.nodes.map((n) => this.status(n, placement, now)),
    };
  }

  private async result(id: number): Promise<{ node: NodeStatus }> {
    const placement = await this.placement().catch(() => null);
    return { node: this.status(this.cluster.node(id), placement, Date.now()) };
  }

  private readonly handlers: Handlers = {
    list: () => this.list(),
    kill: async ({ id }) => {
      await this.cluster.kill(id);
      return this.result(id);
    },
    pause: async ({ id }) => {
      this.cluster.pause(id);
      return this.result(id);
    },
    resume: async ({ id }) => {
      this.cluster.resume(id);
      return this.result(id);
    },
    stop: async ({ id }) => {
      await this.cluster.stopNode(id);
      return this.result(id);
    },
    restart: async ({ id }) => {
      await this.cluster.restartNode(id);
      return this.result(id);
    },
    add: async () => this.result((await this.cluster.addNode()).id),
    remove: async ({ id }) => {
      this.cluster.assertRemovable(id);
      const placement = await this.placement().catch((e: Error) => {
        throw new ControlError('UNAVAILABLE', `cannot check what node ${id} hosts: ${e.message}`);
      });
      const refusal = removalRefusal(placement, id);
      if (refusal) throw new ControlError('REFUSED', refusal);
      await this.cluster.removeNode(id);
      return { removed: id };
    },
    events: ({ since, waitMs }, signal) => this.cluster.events.read(since, waitMs, signal),
  };

  /** Runs one parsed request. */
  run<O extends ControlOp>(op: O, req: Parsed<O>, signal: AbortSignal): Promise<ControlResponse<O>> {
    const handler: (req: Parsed<O>, signal: AbortSignal) => Promise<ControlResponse<O>> = this.handlers[op];
    return handler(req, signal);
  }
}
