// Structures shared by several messages (Kafka's commonStructs).
import { array, struct, T } from '../schema.ts';

export const LeaderIdAndEpoch = struct({
  leaderId: { type: T.int32, default: -1 },
  leaderEpoch: { type: T.int32, default: -1 },
});

export const NodeEndpoints = array(struct({ nodeId: T.int32, host: T.string, port: T.int32, rack: T.nstring }));

/** Raft endpoints (Vote, BeginQuorumEpoch, EndQuorumEpoch, FetchSnapshot responses). */
export const RaftNodeEndpoints = array(struct({ nodeId: T.int32, host: T.string, port: T.uint16 }));

/** Named listeners of a Raft node: BeginQuorumEpoch/EndQuorumEpoch leaderEndpoints, DescribeQuorum nodes. */
export const RaftListenerEndpoints = array(struct({ name: T.string, host: T.string, port: T.uint16 }));

/** One resource's result in AlterConfigs and IncrementalAlterConfigs responses. */
export const AlterConfigsResourceResponse = struct({
  errorCode: T.int16,
  errorMessage: T.nstring,
  resourceType: T.int8,
  resourceName: T.string,
});
