import { api, array, struct, T } from '../schema.ts';

export const OffsetCommit = api(
  8,
  'OffsetCommit',
  { versions: '0-9', flexible: 8 },
  {
    groupId: T.string,
    generationIdOrMemberEpoch: { type: T.int32, v: '1+', default: -1 },
    memberId: { type: T.string, v: '1+' },
    groupInstanceId: { type: T.nstring, v: '7+' },
    retentionTimeMs: { type: T.int64, v: '2-4', default: -1 },
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            committedOffset: T.int64,
            committedLeaderEpoch: { type: T.int32, v: '6+', default: -1 },
            commitTimestamp: { type: T.int64, v: '1', default: -1 },
            committedMetadata: T.nstring,
          }),
        ),
      }),
    ),
  },
  {
    throttleTimeMs: { type: T.int32, v: '3+' },
    topics: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, errorCode: T.int16 })),
      }),
    ),
  },
);
