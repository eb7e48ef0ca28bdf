import { api, array, struct, T } from '../schema.ts';

export const ListOffsets = api(
  2,
  'ListOffsets',
  { versions: '0-10', flexible: 6 },
  {
    replicaId: T.int32,
    isolationLevel: { type: T.int8, v: '2+' },
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            currentLeaderEpoch: { type: T.int32, v: '4+', default: -1 },
            timestamp: T.int64,
            maxNumOffsets: { type: T.int32, v: '0', default: 1 },
          }),
        ),
      }),
    ),
    timeoutMs: { type: T.int32, v: '10+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '2+' },
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            errorCode: T.int16,
            oldStyleOffsets: { type: array(T.int64), v: '0' },
            timestamp: { type: T.int64, v: '1+', default: -1 },
            offset: { type: T.int64, v: '1+', default: -1 },
            leaderEpoch: { type: T.int32, v: '4+', default: -1 },
          }),
        ),
      }),
    ),
  },
);
