import { api, array, narray, struct, T } from '../schema.ts';
import { LeaderIdAndEpoch, NodeEndpoints } from './common.ts';

export const Fetch = api(
  1,
  'Fetch',
  { versions: '0-17', flexible: 12, listeners: ['broker', 'controller'] },
  {
    clusterId: { type: T.nstring, v: '12+', tag: 0 },
    replicaId: { type: T.int32, v: '0-14', default: -1 },
    replicaState: {
      type: struct({ replicaId: { type: T.int32, default: -1 }, replicaEpoch: { type: T.int64, default: -1 } }),
      v: '15+',
      tag: 1,
    },
    maxWaitMs: T.int32,
    minBytes: T.int32,
    maxBytes: { type: T.int32, v: '3+', default: 0x7fffffff },
    isolationLevel: { type: T.int8, v: '4+' },
    sessionId: { type: T.int32, v: '7+' },
    sessionEpoch: { type: T.int32, v: '7+', default: -1 },
    topics: array(
      struct({
        topic: { type: T.string, v: '0-12' },
        topicId: { type: T.uuid, v: '13+' },
        partitions: array(
          struct({
            partition: T.int32,
            currentLeaderEpoch: { type: T.int32, v: '9+', default: -1 },
            fetchOffset: T.int64,
            lastFetchedEpoch: { type: T.int32, v: '12+', default: -1 },
            logStartOffset: { type: T.int64, v: '5+', default: -1 },
            partitionMaxBytes: T.int32,
            replicaDirectoryId: { type: T.uuid, v: '17+', tag: 0 },
          }),
        ),
      }),
    ),
    forgottenTopicsData: {
      type: array(
        struct({
          topic: { type: T.string, v: '7-12' },
          topicId: { type: T.uuid, v: '13+' },
          partitions: array(T.int32),
        }),
      ),
      v: '7+',
    },
    rackId: { type: T.string, v: '11+' },
  },
  {
    throttleTimeMs: { type: T.int32, v: '1+' },
    errorCode: { type: T.int16, v: '7+' },
    sessionId: { type: T.int32, v: '7+' },
    responses: array(
      struct({
        topic: { type: T.string, v: '0-12' },
        topicId: { type: T.uuid, v: '13+' },
        partitions: array(
          struct({
            partitionIndex: T.int32,
            errorCode: T.int16,
            highWatermark: T.int64,
            lastStableOffset: { type: T.int64, v: '4+', default: -1 },
            logStartOffset: { type: T.int64, v: '5+', default: -1 },
            divergingEpoch: {
              type: struct({ epoch: { type: T.int32, default: -1 }, endOffset: { type: T.int64, default: -1 } }),
              v: '12+',
              tag: 0,
            },
            currentLeader: { type: LeaderIdAndEpoch, v: '12+', tag: 1 },
            snapshotId: {
              type: struct({ endOffset: { type: T.int64, default: -1 }, epoch: { type: T.int32, default: -1 } }),
              v: '12+',
              tag: 2,
            },
            abortedTransactions: {
              type: narray(struct({ producerId: T.int64, firstOffset: T.int64 })),
              v: '4+',
            },
            preferredReadReplica: { type: T.int32, v: '11+', default: -1 },
            records: T.records,
          }),
        ),
      }),
    ),
    nodeEndpoints: { type: NodeEndpoints, v: '16+', tag: 0 },
  },
);
