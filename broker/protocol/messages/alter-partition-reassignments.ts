import { api, array, narray, struct, T } from '../schema.ts';

export const AlterPartitionReassignments = api(
  45,
  'AlterPartitionReassignments',
  { versions: '0', flexible: 0, listeners: ['broker', 'controller'] },
  {
    timeoutMs: { type: T.int32, default: 60000 },
    topics: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, replicas: narray(T.int32) })),
      }),
    ),
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    errorMessage: T.nstring,
    responses: array(
      struct({
        name: T.string,
        partitions: array(struct({ partitionIndex: T.int32, errorCode: T.int16, errorMessage: T.nstring })),
      }),
    ),
  },
);
