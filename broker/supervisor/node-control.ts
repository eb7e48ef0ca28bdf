// The operations of the control contract (main/contract/control.ts) on a running Cluster: the
// supervisor's process view of each node joined with what the cluster's Metadata says it leads
// and hosts. Transport-free, so the control endpoint only parses, authenticates and forwards.
//
// remove is a decommission (decommission.ts): the node's replicas are reassigned to the other
// live brokers, the supervisor waits until no partition lists the node, then stops it and forgets
// it. `removal` answers the plan without running it (the CLI prints it first, the console states
// it in its confirmation).

import type { z } from 'zod';
import { controlOps, type ControlOp, type ControlResponse, type NodeList, type NodeStatus } from '../../main/contract/control.ts';
import { fetchPlacement, leadersOn, replicasOn, type ClusterPlacement } from './cluster-metadata.ts';
import { ControlError } from './control-error.ts';
import { decommissionPlan, moveKey, submitMoves, type Move } from './decommission.ts';
import type { Cluster, NodeInfo } from './supervisor.ts';

type Parsed<O extends ControlOp> = z.output<(typeof controlOps)[O]['request']>;
type Handlers = { [O in ControlOp]: (req: Parsed<O>, signal: AbortSignal) => Promise<ControlResponse<O>> };

export class NodeControl {
  constructor(
    private readonly cluster: Cluster,
    private readonly metadataTimeoutMs = 3000,
    private readonly drainTimeoutMs = 10 * 60_000,
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
    removal: async ({ id }) => ({ nodeId: id, moves: await this.plan(id) }),
    remove: async ({ id }, signal) => {
      const moved = await this.drain(id, signal);
      await this.cluster.removeNode(id);
      return { removed: id, moved };
    },
    events: ({ since, waitMs }, signal) => this.cluster.events.read(since, waitMs, signal),
  };

  /** The moves that take every replica off node `id` now; throws REFUSED when it cannot go. */
  private async plan(id: number, skip?: Set<string>): Promise<Move[]> {
    this.cluster.assertRemovable(id);
    const placement = await this.placement().catch((e: Error) => {
      throw new ControlError('UNAVAILABLE', `cannot check what node ${id} hosts: ${e.message}`);
    });
    const plan = decommissionPlan(placement.partitions, id, placement.brokers, skip);
    if ('refusal' in plan) throw new ControlError('REFUSED', plan.refusal);
    return plan.moves;
  }

  /**
   * Reassigns every replica off node `id` and resolves, with the number of partitions moved, once
   * no partition lists it. Partitions placed on it meanwhile (a topic created during the drain)
   * are moved too. Gives up after drainTimeoutMs, leaving the node running and the reassignments
   * in progress (ListPartitionReassignments shows them; a second remove picks them up).
   */
  private async drain(id: number, signal: AbortSignal): Promise<number> {
    const submitted = new Set<string>();
    const deadline = Date.now() + this.drainTimeoutMs;
    for (;;) {
      const moves = await this.plan(id, submitted);
      if (moves.length) {
        const via = this.cluster.nodes.find((n) => n.state === 'running' && n.id !== id);
        if (!via) throw new ControlError('UNAVAILABLE', 'no other node is running to take the replicas');
        await submitMoves(via, moves, this.metadataTimeoutMs * 3, this.cluster.auth);
        for (const m of moves) submitted.add(moveKey(m));
      }
      const left = (await this.placement().catch(() => null))?.partitions.filter((p) => p.replicas.includes(id));
      if (left?.length === 0) return submitted.size;
      if (signal.aborted) throw new ControlError('UNAVAILABLE', `removal of node ${id} abandoned by its caller; the reassignments go on`);
      if (Date.now() > deadline)
        throw new ControlError(
          'UNAVAILABLE',
          `node ${id} still hosts ${left ? left.map((p) => `${p.topic}-${p.partition}`).slice(0, 5).join(', ') : 'replicas'} after ${this.drainTimeoutMs / 1000} s; ` +
            'it keeps running and the reassignments stay in progress (samsa node remove again picks them up)',
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Runs one parsed request. */
  run<O extends ControlOp>(op: O, req: Parsed<O>, signal: AbortSignal): Promise<ControlResponse<O>> {
    const handler: (req: Parsed<O>, signal: AbortSignal) => Promise<ControlResponse<O>> = this.handlers[op];
    return handler(req, signal);
  }
}
