import { api, array, struct, T } from '../schema.ts';

export const DeleteRecords = api(
  21,
  'DeleteRecords',
  { versions: '0-2', flexible: 2 },
  {
    topics: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, offset: T.int64 })),
      }),
    ),
    timeoutMs: T.int32,
  },
  {
    throttleTimeMs: T.int32,
    topics: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, lowWatermark: T.int64, errorCode: T.int16 })),
      }),
    ),
  },
);
