// FetchSnapshot (key 59), versions 0-1: a metadata follower behind the leader's log start
// fetches the latest snapshot. Deviation: the whole snapshot is sent at once as JSON bytes in
// unalignedRecords (Kafka sends record batches in position-addressed chunks).
// As Kafka's KafkaRaftClient: another cluster id is INCONSISTENT_CLUSTER_ID, another partition
// than __cluster_metadata-0 UNKNOWN_TOPIC_OR_PARTITION (metadata/raft-transport.ts).

import { ErrorCode } from '../protocol/errors.ts';
import { FetchSnapshot } from '../protocol/messages/fetch-snapshot.ts';
import { serveFetchSnapshot } from '../metadata/raft-transport.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

export default defineHandler(FetchSnapshot, '0-1', (req, ctx): ResponseOf<typeof FetchSnapshot> => {
  const q = ctx.broker.quorum;
  if (!q) return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  return serveFetchSnapshot(q.raft, q.clusterId, req);
});
