import { api, array, narray, struct, T } from '../schema.ts';

export const OffsetFetch = api(
  9,
  'OffsetFetch',
  { versions: '0-9', flexible: 6 },
  {
    groupId: { type: T.string, v: '0-7' },
    topics: { type: narray(struct({ name: T.string, partitionIndexes: array(T.int32) })), v: '0-7' },
    groups: {
      type: array(
        struct({
          groupId: T.string,
          memberId: { type: T.nstring, v: '9+' },
          memberEpoch: { type: T.int32, v: '9+', default: -1 },
          topics: narray(struct({ name: T.string, partitionIndexes: array(T.int32) })),
        }),
      ),
      v: '8+',
    },
    requireStable: { type: T.bool, v: '7+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '3+' },
    topics: {
      type: array(
        struct({
          name: T.string,
          partitions: array(
            struct({
              partitionIndex: T.int32,
              committedOffset: T.int64,
              committedLeaderEpoch: { type: T.int32, v: '5-7', default: -1 },
              metadata: T.nstring,
              errorCode: T.int16,
            }),
          ),
        }),
      ),
      v: '0-7',
    },
    errorCode: { type: T.int16, v: '2-7' },
    groups: {
      type: array(
        struct({
          groupId: T.string,
          topics: array(
            struct({
              name: T.string,
              partitions: array(
                struct({
                  partitionIndex: T.int32,
                  committedOffset: T.int64,
                  committedLeaderEpoch: { type: T.int32, default: -1 },
                  metadata: T.nstring,
                  errorCode: T.int16,
                }),
              ),
            }),
          ),
          errorCode: T.int16,
        }),
      ),
      v: '8+',
    },
  },
);
