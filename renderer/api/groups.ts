// Consumer group hooks: list, detail, reset offsets (preview and apply), delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ResetOffsetsRequest } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { groupKeys, topicKeys } from './keys.ts';

export const useGroups = (clusterId: string) =>
  useQuery({ queryKey: groupKeys.list(clusterId), queryFn: () => call('listGroups', { clusterId }), refetchInterval: 5000 });

export const useGroup = (clusterId: string, groupId: string) =>
  useQuery({ queryKey: groupKeys.detail(clusterId, groupId), queryFn: () => call('groupDetail', { clusterId, groupId }), refetchInterval: 3000 });

export function useResetOffsets(clusterId: string, groupId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ResetOffsetsRequest) => call('resetOffsets', { clusterId, groupId }, body),
    onSuccess: (data) => {
      if (data.applied) {
        void qc.invalidateQueries({ queryKey: groupKeys.all(clusterId) });
        void qc.invalidateQueries({ queryKey: topicKeys.all(clusterId) });
      }
    },
  });
}

export function useDeleteGroup(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (groupId: string) => call('deleteGroup', { clusterId, groupId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: groupKeys.all(clusterId) }),
  });
}
