// Cluster domain hooks: session, clusters list (add/remove), overview.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AddClusterRequest } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { clusterKeys } from './keys.ts';

export const useSession = () => useQuery({ queryKey: clusterKeys.session(), queryFn: () => call('session', {}), staleTime: Infinity });

export const useClusters = () => useQuery({ queryKey: clusterKeys.all, queryFn: () => call('listClusters', {}) });

export const useOverview = (clusterId: string) =>
  useQuery({ queryKey: clusterKeys.overview(clusterId), queryFn: () => call('overview', { clusterId }), refetchInterval: 5000 });

export function useAddCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddClusterRequest) => call('addCluster', {}, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: clusterKeys.all }),
  });
}

export function useRemoveCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (clusterId: string) => call('removeCluster', { clusterId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: clusterKeys.all }),
  });
}
