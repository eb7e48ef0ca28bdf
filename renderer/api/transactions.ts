// Transaction hooks: every coordinator's transactions, and one topic's producers per partition.
import { useQuery } from '@tanstack/react-query';
import { call } from './client.ts';
import { transactionKeys } from './keys.ts';

export const useTransactions = (clusterId: string) =>
  useQuery({ queryKey: transactionKeys.list(clusterId), queryFn: () => call('listTransactions', { clusterId }), refetchInterval: 3000 });

export const useTopicProducers = (clusterId: string, topic: string | null) =>
  useQuery({
    queryKey: transactionKeys.producers(clusterId, topic ?? ''),
    queryFn: () => call('topicProducers', { clusterId, topic: topic ?? '' }),
    enabled: topic !== null,
    refetchInterval: 3000,
  });
