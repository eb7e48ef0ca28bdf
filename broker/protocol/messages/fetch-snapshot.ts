import { api, array, struct, T } from '../schema.ts';
import { RaftNodeEndpoints } from './common.ts';

export const FetchSnapshot = api(
  59,
  'FetchSnapshot',
  { versions: '0-1', flexible: 0, listeners: ['controller'] },
  {
    clusterId: { type: T.nstring, tag: 0 },
    replicaId: { type: T.int32, default: -1 },
    maxBytes: { type: T.int32, default: 0x7fffffff },
    topics: array(
      struct({
        name: T.string,
        partitions: array(
          struct({
            partition: T.int32,
            currentLeaderEpoch: T.int32,
            snapshotId: struct({ endOffset: T.int64, epoch: T.int32 }),
            position: T.int64,
            replicaDirectoryId: { type: T.uuid, v: '1+', tag: 0 },
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
        name: T.string,
        partitions: array(
          struct({
            index: T.int32,
            errorCode: T.int16,
            snapshotId: struct({ endOffset: T.int64, epoch: T.int32 }),
            currentLeader: { type: struct({ leaderId: T.int32, leaderEpoch: T.int32 }), tag: 0 },
            size: T.int64,
            position: T.int64,
            unalignedRecords: T.records,
          }),
        ),
      }),
    ),
    nodeEndpoints: { type: RaftNodeEndpoints, v: '1+', tag: 0 },
  },
);
