import { api, array, struct, T } from '../schema.ts';

export const OffsetDelete = api(
  47,
  'OffsetDelete',
  { versions: '0' },
  {
    groupId: T.string,
    topics: array(struct({ name: T.string, partitions: array(struct({ partitionIndex: T.int32 })) })),
  },
  {
    errorCode: T.int16,
    throttleTimeMs: T.int32,
    topics: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, errorCode: T.int16 })),
      }),
    ),
  },
);
