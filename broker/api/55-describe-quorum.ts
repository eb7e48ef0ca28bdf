// DescribeQuorum (key 55), versions 0-2: the metadata quorum as this node sees it: leader,
// epoch, high watermark and, on the leader, each voter's fetched offset and timestamps.
// Served on both listeners, as Kafka. `nodes` (v2) lists the voters' controller listeners.
// Authorization (--acls): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED (no
// partitions), as Kafka.
// Deviation: a non-leader answers with its own view (voter progress -1) instead of forwarding
// to the leader; observers (nodes outside the static voter set) are listed by the leader only.

import { ErrorCode } from '../protocol/errors.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { METADATA_TOPIC } from '../metadata/raft-transport.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeQuorum, '0-2', (_req, ctx): ResponseOf<typeof DescribeQuorum> => {
  if (!clusterAllowed(ctx, AclOperation.DESCRIBE)) return { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, topics: [], nodes: [] };
  const q = ctx.broker.quorum;
  if (!q)
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'no metadata quorum on this node',
      topics: [],
      nodes: [],
    };
  const r = q.raft;
  const voters = r.isLeader
    ? r.describeVoters()
    : r.voters.map((v) => ({
        replicaId: v,
        logEndOffset: v === r.nodeId ? r.store.logEndOffset : -1,
        lastFetchTimestamp: -1,
        lastCaughtUpTimestamp: -1,
      }));
  return {
    errorCode: 0,
    errorMessage: null,
    topics: [
      {
        topicName: METADATA_TOPIC,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            errorMessage: null,
            leaderId: q.controllerId,
            leaderEpoch: r.epoch,
            highWatermark: r.hw,
            currentVoters: voters.map((v) => ({ ...v, replicaDirectoryId: '0'.repeat(32) })),
            observers: r.describeObservers().map((v) => ({ ...v, replicaDirectoryId: '0'.repeat(32) })),
          },
        ],
      },
    ],
    // Voters by their controller listener, as Kafka; observers have none, so they are not listed.
    nodes: r.voters.flatMap((v) => {
      const ep = q.controllerEndpoint(v);
      if (!ep) return [];
      return { nodeId: v, listeners: [{ name: 'CONTROLLER', host: ep.host, port: ep.port }] };
    }),
  };
});
