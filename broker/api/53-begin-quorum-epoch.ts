// BeginQuorumEpoch (key 53), versions 0-1: the newly elected metadata quorum leader announces
// itself; the voter follows it (and starts fetching the metadata log from it).
// Deviation: leaderEndpoints (v1) are ignored; endpoints come from --voters.
// As Kafka's KafkaRaftClient: another cluster id is INCONSISTENT_CLUSTER_ID, another partition
// than __cluster_metadata-0 UNKNOWN_TOPIC_OR_PARTITION, a candidate or leader outside the
// voter set INCONSISTENT_VOTER_SET (metadata/raft-transport.ts).

import { ErrorCode } from '../protocol/errors.ts';
import { BeginQuorumEpoch } from '../protocol/messages/begin-quorum-epoch.ts';
import { serveBeginEpoch } from '../metadata/raft-transport.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

export default defineHandler(BeginQuorumEpoch, '0-1', (req, ctx): ResponseOf<typeof BeginQuorumEpoch> => {
  const q = ctx.broker.quorum;
  if (!q) return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  return serveBeginEpoch(q.raft, q.clusterId, req);
});
