import { api, array, narray, struct, T } from '../schema.ts';

export const ListPartitionReassignments = api(
  46,
  'ListPartitionReassignments',
  { versions: '0', flexible: 0, listeners: ['broker', 'controller'] },
  {
    timeoutMs: { type: T.int32, default: 60000 },
    topics: narray(struct({ name: T.string, partitionIndexes: array(T.int32) })),
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    errorMessage: T.nstring,
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partitionIndex: T.int32,
            replicas: array(T.int32),
            addingReplicas: array(T.int32),
            removingReplicas: array(T.int32),
          }),
        ),
      }),
    ),
  },
);
