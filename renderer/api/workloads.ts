// Demo workloads: their list with live rates (polled every second while the screen is open),
// start {name, rate} and stop; both refresh the list at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WorkloadName, WorkloadStart } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { workloadKeys } from './keys.ts';

export const useWorkloads = (clusterId: string) =>
  useQuery({
    queryKey: workloadKeys.list(clusterId),
    queryFn: () => call('listWorkloads', { clusterId }),
    refetchInterval: 1000,
  });

export function useWorkloadControl(clusterId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: workloadKeys.list(clusterId) });
  return {
    start: useMutation({
      mutationFn: (req: WorkloadStart) => call('workloadStart', { clusterId }, req),
      onSettled: refresh,
    }),
    stop: useMutation({
      mutationFn: (name: WorkloadName) => call('workloadStop', { clusterId, name }, {}),
      onSettled: refresh,
    }),
  };
}
