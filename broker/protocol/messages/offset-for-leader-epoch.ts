import { api, array, struct, T } from '../schema.ts';

export const OffsetForLeaderEpoch = api(
  23,
  'OffsetForLeaderEpoch',
  { versions: '0-4', flexible: 4 },
  {
    replicaId: { type: T.int32, v: '3+', default: -2 },
    topics: array(
      struct({
        topic: T.string,
        partitions: array(
          struct({
            partition: T.int32,
            currentLeaderEpoch: { type: T.int32, v: '2+', default: -1 },
            leaderEpoch: T.int32,
          }),
        ),
      }),
    ),
  },
  {
    throttleTimeMs: { type: T.int32, v: '2+' },
    topics: array(
      struct({
        topic: T.string,
        partitions: array(
          struct({
            errorCode: T.int16,
            partition: T.int32,
            leaderEpoch: { type: T.int32, v: '1+', default: -1 },
            endOffset: { type: T.int64, default: -1 },
          }),
        ),
      }),
    ),
  },
);
