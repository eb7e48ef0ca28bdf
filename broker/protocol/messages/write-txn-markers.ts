import { api, array, struct, T } from '../schema.ts';

export const WriteTxnMarkers = api(
  27,
  'WriteTxnMarkers',
  { versions: '0-1', flexible: 1 },
  {
    markers: array(
      struct({
        producerId: T.int64,
        producerEpoch: T.int16,
        transactionResult: T.bool,
        topics: array(struct({ name: T.string, partitionIndexes: array(T.int32) })),
        coordinatorEpoch: T.int32,
      }),
    ),
  },
  {
    markers: array(
      struct({
        producerId: T.int64,
        topics: array(
          struct({
            name: T.string,
            partitions: array(struct({ partitionIndex: T.int32, errorCode: T.int16 })),
          }),
        ),
      }),
    ),
  },
);
