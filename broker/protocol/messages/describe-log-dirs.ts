import { api, array, narray, struct, T } from '../schema.ts';

export const DescribeLogDirs = api(
  35,
  'DescribeLogDirs',
  { versions: '0-4', flexible: 2 },
  {
    topics: narray(struct({ topic: T.string, partitions: array(T.int32) })),
  },
  {
    throttleTimeMs: T.int32,
    errorCode: { type: T.int16, v: '3+' },
    results: array(
      struct({
        errorCode: T.int16,
        logDir: T.string,
        topics: array(
          struct({
            name: T.string,
            partitions: array(
              struct({
                partitionIndex: T.int32,
                partitionSize: T.int64,
                offsetLag: T.int64,
                isFutureKey: T.bool,
              }),
            ),
          }),
        ),
        totalBytes: { type: T.int64, v: '4+', default: -1 },
        usableBytes: { type: T.int64, v: '4+', default: -1 },
      }),
    ),
  },
);
