import { api, array, struct, T } from '../schema.ts';

export const DescribeTransactions = api(
  65,
  'DescribeTransactions',
  { versions: '0', flexible: 0 },
  {
    transactionalIds: array(T.string),
  },
  {
    throttleTimeMs: T.int32,
    transactionStates: array(
      struct({
        errorCode: T.int16,
        transactionalId: T.string,
        transactionState: T.string,
        transactionTimeoutMs: T.int32,
        transactionStartTimeMs: T.int64,
        producerId: T.int64,
        producerEpoch: T.int16,
        topics: array(struct({ topic: T.string, partitions: array(T.int32) })),
      }),
    ),
  },
);
