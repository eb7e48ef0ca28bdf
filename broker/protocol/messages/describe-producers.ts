import { api, array, struct, T } from '../schema.ts';

export const DescribeProducers = api(
  61,
  'DescribeProducers',
  { versions: '0', flexible: 0 },
  {
    topics: array(struct({ name: T.string, partitionIndexes: array(T.int32) })),
  },
  {
    throttleTimeMs: T.int32,
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            errorCode: T.int16,
            errorMessage: T.nstring,
            activeProducers: array(
              struct({
                producerId: T.int64,
                producerEpoch: T.int32,
                lastSequence: { type: T.int32, default: -1 },
                lastTimestamp: { type: T.int64, default: -1 },
                coordinatorEpoch: T.int32,
                currentTxnStartOffset: { type: T.int64, default: -1 },
              }),
            ),
          }),
        ),
      }),
    ),
  },
);
