// EndQuorumEpoch (key 54), versions 0-1: a metadata quorum leader that shuts down gracefully
// resigns; the first preferred successor starts an election at once, the others shortly after.
// As Kafka's KafkaRaftClient: another cluster id is INCONSISTENT_CLUSTER_ID, another partition
// than __cluster_metadata-0 UNKNOWN_TOPIC_OR_PARTITION, a candidate or leader outside the
// voter set INCONSISTENT_VOTER_SET (metadata/raft-transport.ts).

import { ErrorCode } from '../protocol/errors.ts';
import { EndQuorumEpoch } from '../protocol/messages/end-quorum-epoch.ts';
import { serveEndEpoch } from '../metadata/raft-transport.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

export default defineHandler(EndQuorumEpoch, '0-1', (req, ctx): ResponseOf<typeof EndQuorumEpoch> => {
  const q = ctx.broker.quorum;
  if (!q) return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  return serveEndEpoch(q.raft, q.clusterId, req);
});
