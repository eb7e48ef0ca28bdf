// The bundled cluster's live views and node actions: the cluster state (nodes, quorum, replica
// map) and the event timeline arrive over the stream socket and stay live through a lost socket
// (they say they are reconnecting meanwhile); actions are plain calls, their consequences asked
// before the user confirms.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ClusterEvent, ClusterState, ElectLeadersRequest, ImpactAction, NodeAction, ReassignRequest } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { stream } from './stream.ts';

export interface Live<T> {
  data: T | null;
  /** Why the view is not live now (lost socket, console restarting), or null. */
  reconnecting: string | null;
  /** An error the server will not retry (e.g. no controls for this cluster). */
  error: { code: string; message: string } | null;
}

export function useClusterState(clusterId: string): Live<ClusterState> {
  const [live, setLive] = useState<Live<ClusterState>>({ data: null, reconnecting: null, error: null });
  useEffect(() => {
    setLive({ data: null, reconnecting: null, error: null });
    return stream.start({ type: 'cluster.subscribe', clusterId }, (m) => {
      if (m.type === 'cluster.state') setLive({ data: m.state, reconnecting: null, error: null });
      else if (m.type === 'error' && m.error.code === 'RECONNECTING') setLive((l) => ({ ...l, reconnecting: m.error.message }));
      else if (m.type === 'error') setLive((l) => ({ ...l, error: m.error }));
    });
  }, [clusterId]);
  return live;
}

const MAX_EVENTS = 5000;

export function useClusterEvents(clusterId: string, enabled = true): Live<ClusterEvent[]> {
  const [live, setLive] = useState<Live<ClusterEvent[]>>({ data: null, reconnecting: null, error: null });
  useEffect(() => {
    setLive({ data: null, reconnecting: null, error: null });
    if (!enabled) return;
    return stream.start({ type: 'events.subscribe', clusterId }, (m) => {
      if (m.type === 'events.batch')
        setLive((l) => ({ data: [...(m.reset ? [] : (l.data ?? [])), ...m.events].slice(-MAX_EVENTS), reconnecting: null, error: null }));
      else if (m.type === 'error' && m.error.code === 'RECONNECTING') setLive((l) => ({ ...l, reconnecting: m.error.message }));
      else if (m.type === 'error') setLive((l) => ({ ...l, error: m.error }));
    });
  }, [clusterId, enabled]);
  return live;
}

export const useImpact = (clusterId: string, action: ImpactAction, nodeId: number | null) =>
  useQuery({
    queryKey: ['cluster', clusterId, 'impact', action, nodeId],
    queryFn: () => call('actionImpact', nodeId === null ? { clusterId, action } : { clusterId, action, nodeId }),
    staleTime: 0,
    gcTime: 0,
  });

export type ControlRequest = { action: NodeAction; nodeId: number } | { action: 'add' } | { action: 'remove'; nodeId: number };

export function useNodeControl(clusterId: string) {
  return useMutation({
    /** Resolves with the node's id (the new one for add). */
    mutationFn: async (r: ControlRequest): Promise<number> => {
      if (r.action === 'add') return (await call('addNode', { clusterId }, {})).node.id;
      if (r.action === 'remove') return (await call('removeNode', { clusterId, nodeId: String(r.nodeId) })).removed;
      return (await call('nodeAction', { clusterId, nodeId: String(r.nodeId), action: r.action }, {})).node.id;
    },
  });
}

export const useElectLeaders = (clusterId: string) =>
  useMutation({ mutationFn: (body: ElectLeadersRequest) => call('electLeaders', { clusterId }, body) });

export const useReassign = (clusterId: string) => useMutation({ mutationFn: (body: ReassignRequest) => call('reassign', { clusterId }, body) });

/** The reassignment in progress of one partition (ListPartitionReassignments), polled while `enabled`. */
export const useReassignment = (clusterId: string, topic: string, partition: number, enabled: boolean) =>
  useQuery({
    queryKey: ['cluster', clusterId, 'reassignment', topic, partition],
    queryFn: () => call('reassignments', { clusterId, topic, partition }),
    enabled,
    refetchInterval: enabled ? 500 : false,
  });
