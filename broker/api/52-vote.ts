// Vote (key 52), versions 0-1: a candidate of the metadata quorum asks for this voter's vote
// (Raft RequestVote, KIP-595). Served by the node's RaftNode; a node without a quorum (started
// without --voters) answers INVALID_REQUEST. Deviation: directory ids (v1) are ignored.
// As Kafka's KafkaRaftClient: another cluster id is INCONSISTENT_CLUSTER_ID, another partition
// than __cluster_metadata-0 UNKNOWN_TOPIC_OR_PARTITION, a candidate or leader outside the
// voter set INCONSISTENT_VOTER_SET (metadata/raft-transport.ts).

import { ErrorCode } from '../protocol/errors.ts';
import { Vote } from '../protocol/messages/vote.ts';
import { serveVote } from '../metadata/raft-transport.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

export default defineHandler(Vote, '0-1', (req, ctx): ResponseOf<typeof Vote> => {
  const q = ctx.broker.quorum;
  if (!q) return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  return serveVote(q.raft, q.clusterId, req);
});
