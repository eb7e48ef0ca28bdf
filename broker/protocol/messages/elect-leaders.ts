import { api, array, narray, struct, T } from '../schema.ts';

export const ElectLeaders = api(
  43,
  'ElectLeaders',
  { versions: '0-2', flexible: 2, listeners: ['broker', 'controller'] },
  {
    electionType: { type: T.int8, v: '1+' },
    topicPartitions: narray(struct({ topic: T.string, partitions: array(T.int32) })),
    timeoutMs: { type: T.int32, default: 60000 },
  },
  {
    throttleTimeMs: T.int32,
    errorCode: { type: T.int16, v: '1+' },
    replicaElectionResults: array(
      struct({
        topic: T.string,
        partitionResult: array(struct({ partitionId: T.int32, errorCode: T.int16, errorMessage: T.nstring })),
      }),
    ),
  },
);
