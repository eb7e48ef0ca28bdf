import { api, array, struct, T } from '../schema.ts';

export const TxnOffsetCommit = api(
  28,
  'TxnOffsetCommit',
  { versions: '0-4', flexible: 3 },
  {
    transactionalId: T.string,
    groupId: T.string,
    producerId: T.int64,
    producerEpoch: T.int16,
    generationId: { type: T.int32, v: '3+', default: -1 },
    memberId: { type: T.string, v: '3+' },
    groupInstanceId: { type: T.nstring, v: '3+' },
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            committedOffset: T.int64,
            committedLeaderEpoch: { type: T.int32, v: '2+', default: -1 },
            committedMetadata: T.nstring,
          }),
        ),
      }),
    ),
  },
  {
    throttleTimeMs: T.int32,
    topics: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, errorCode: T.int16 })),
      }),
    ),
  },
);
