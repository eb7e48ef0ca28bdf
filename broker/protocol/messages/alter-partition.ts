import { api, array, struct, T } from '../schema.ts';

export const AlterPartition = api(
  56,
  'AlterPartition',
  { versions: '0-3', flexible: 0, listeners: ['controller'] },
  {
    brokerId: T.int32,
    brokerEpoch: { type: T.int64, default: -1 },
    topics: array(
      struct({
        topicName: { type: T.string, v: '0-1' },
        topicId: { type: T.uuid, v: '2+' },
        partitions: array(
          struct({
            partitionIndex: T.int32,
            leaderEpoch: T.int32,
            newIsr: { type: array(T.int32), v: '0-2' },
            newIsrWithEpochs: {
              type: array(struct({ brokerId: T.int32, brokerEpoch: { type: T.int64, default: -1 } })),
              v: '3+',
            },
            leaderRecoveryState: { type: T.int8, v: '1+' },
            partitionEpoch: T.int32,
          }),
        ),
      }),
    ),
  },
  {
    throttleTimeMs: T.int32,
    errorCode: T.int16,
    topics: array(
      struct({
        topicName: { type: T.string, v: '0-1' },
        topicId: { type: T.uuid, v: '2+' },
        partitions: array(
          struct({
            partitionIndex: T.int32,
            errorCode: T.int16,
            leaderId: T.int32,
            leaderEpoch: T.int32,
            isr: array(T.int32),
            leaderRecoveryState: { type: T.int8, v: '1+' },
            partitionEpoch: T.int32,
          }),
        ),
      }),
    ),
  },
);
