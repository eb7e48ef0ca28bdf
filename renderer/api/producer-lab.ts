// The producer lab: its stats with per-second series (polled every second while the screen is
// open), start {producers, durationMs, verify} and stop; both refresh the stats at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProducerLabStart } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { workloadKeys } from './keys.ts';

export const useProducerLab = (clusterId: string) =>
  useQuery({
    queryKey: workloadKeys.producerLab(clusterId),
    queryFn: () => call('producerLab', { clusterId }),
    refetchInterval: 1000,
  });

export function useProducerLabControl(clusterId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: workloadKeys.producerLab(clusterId) });
  return {
    start: useMutation({
      mutationFn: (req: ProducerLabStart) => call('producerLabStart', { clusterId }, req),
      onSettled: refresh,
    }),
    stop: useMutation({
      mutationFn: () => call('producerLabStop', { clusterId }, {}),
      onSettled: refresh,
    }),
  };
}
