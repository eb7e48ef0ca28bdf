// Consumers the console runs in a group (the group screen's "Members run by the console"): the
// list, polled every second while it is on screen, and setting a group's member count.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GroupMembersSet } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { groupKeys } from './keys.ts';

export const useGroupMembers = (clusterId: string) =>
  useQuery({ queryKey: groupKeys.consoleMembers(clusterId), queryFn: () => call('listGroupMembers', { clusterId }), refetchInterval: 1000 });

export function useSetGroupMembers(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: GroupMembersSet) => call('setGroupMembers', { clusterId }, req),
    onSettled: () => qc.invalidateQueries({ queryKey: groupKeys.all(clusterId) }),
  });
}
