// Message hooks: browse (a query keyed by the seek request) and produce.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BrowseRequest, ProduceRequest } from '../../main/contract/index.ts';
import { call } from './client.ts';
import { messageKeys, topicKeys } from './keys.ts';

export const useBrowse = (clusterId: string, topic: string, request: BrowseRequest, enabled = true) =>
  useQuery({
    queryKey: messageKeys.browse(clusterId, topic, request),
    queryFn: () => call('browse', { clusterId, topic }, request),
    placeholderData: keepPreviousData,
    enabled,
  });

export const fetchOne = (clusterId: string, topic: string, partition: number, offset: number) =>
  call('browse', { clusterId, topic }, { partition, seek: { mode: 'offset', offset }, limit: 1, maxValueBytes: 16 * 1024 * 1024 });

export function useProduce(clusterId: string, topic: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ProduceRequest) => call('produce', { clusterId, topic }, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['cluster', clusterId, 'messages', topic] });
      void qc.invalidateQueries({ queryKey: topicKeys.all(clusterId) });
    },
  });
}
