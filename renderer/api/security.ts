// ACL and SCRAM user hooks: the filtered ACL list and the user list, and the mutations that change them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AclFilter, CreateAclRequest, DeleteAclsRequest, UpsertScramUserRequest } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { securityKeys } from './keys.ts';

export const useAcls = (clusterId: string, filter: AclFilter) =>
  useQuery({
    queryKey: securityKeys.aclList(clusterId, filter),
    queryFn: () => call('listAcls', { clusterId, ...filter }),
    refetchInterval: 10000,
    retry: false, // SECURITY_DISABLED is an answer, not a hiccup
  });

export function useCreateAcl(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAclRequest) => call('createAcl', { clusterId }, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: securityKeys.acls(clusterId) }),
  });
}

export function useDeleteAcls(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DeleteAclsRequest) => call('deleteAcls', { clusterId }, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: securityKeys.acls(clusterId) }),
  });
}

export const useScramUsers = (clusterId: string) =>
  useQuery({ queryKey: securityKeys.users(clusterId), queryFn: () => call('listScramUsers', { clusterId }), refetchInterval: 10000, retry: false });

export function useUpsertScramUser(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpsertScramUserRequest) => call('upsertScramUser', { clusterId }, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: securityKeys.users(clusterId) }),
  });
}

export function useDeleteScramCredential(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { user: string; mechanism: string }) => call('deleteScramCredential', { clusterId, ...v }),
    onSuccess: () => qc.invalidateQueries({ queryKey: securityKeys.users(clusterId) }),
  });
}
