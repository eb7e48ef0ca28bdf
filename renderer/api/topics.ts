// Topic domain hooks: list, detail, configs, consuming groups, and the mutations that change them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlterConfigsRequest, CreateTopicRequest } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { clusterKeys, topicKeys } from './keys.ts';

export const useTopics = (clusterId: string) =>
  useQuery({ queryKey: topicKeys.list(clusterId), queryFn: () => call('listTopics', { clusterId }), refetchInterval: 10000 });

export const useTopic = (clusterId: string, topic: string) =>
  useQuery({ queryKey: topicKeys.detail(clusterId, topic), queryFn: () => call('topicDetail', { clusterId, topic }), refetchInterval: 5000 });

export const useTopicConfigs = (clusterId: string, topic: string) =>
  useQuery({ queryKey: topicKeys.configs(clusterId, topic), queryFn: () => call('topicConfigs', { clusterId, topic }) });

export const useTopicGroups = (clusterId: string, topic: string) =>
  useQuery({ queryKey: topicKeys.groups(clusterId, topic), queryFn: () => call('topicGroups', { clusterId, topic }) });

function useInvalidateTopics(clusterId: string) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: topicKeys.all(clusterId) }),
      qc.invalidateQueries({ queryKey: clusterKeys.overview(clusterId) }),
    ]);
}

export function useCreateTopic(clusterId: string) {
  const invalidate = useInvalidateTopics(clusterId);
  return useMutation({ mutationFn: (body: CreateTopicRequest) => call('createTopic', { clusterId }, body), onSuccess: invalidate });
}

export function useDeleteTopic(clusterId: string) {
  const invalidate = useInvalidateTopics(clusterId);
  return useMutation({ mutationFn: (topic: string) => call('deleteTopic', { clusterId, topic }), onSuccess: invalidate });
}

export function useAddPartitions(clusterId: string, topic: string) {
  const invalidate = useInvalidateTopics(clusterId);
  return useMutation({
    mutationFn: (totalCount: number) => call('addPartitions', { clusterId, topic }, { totalCount }),
    onSuccess: invalidate,
  });
}

export function useAlterConfigs(clusterId: string, topic: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AlterConfigsRequest) => call('alterTopicConfigs', { clusterId, topic }, body),
    onSuccess: (data) => qc.setQueryData(topicKeys.configs(clusterId, topic), data),
  });
}
