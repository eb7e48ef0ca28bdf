// The explicit registry of API handlers: one import per Kafka API. ApiVersions advertises
// exactly what is listed here.

import type { ApiHandler } from './types.ts';
import produce from './00-produce.ts';
import fetch from './01-fetch.ts';
import metadata from './03-metadata.ts';
import apiVersions from './18-api-versions.ts';
import listOffsets from './02-list-offsets.ts';
import createTopics from './19-create-topics.ts';
import deleteTopics from './20-delete-topics.ts';
import deleteRecords from './21-delete-records.ts';
import initProducerId from './22-init-producer-id.ts';
import describeConfigs from './32-describe-configs.ts';
import alterConfigs from './33-alter-configs.ts';
import describeLogDirs from './35-describe-log-dirs.ts';
import createPartitions from './37-create-partitions.ts';
import incrementalAlterConfigs from './44-incremental-alter-configs.ts';
import describeCluster from './60-describe-cluster.ts';
import offsetCommit from './08-offset-commit.ts';
import offsetFetch from './09-offset-fetch.ts';
import findCoordinator from './10-find-coordinator.ts';
import joinGroup from './11-join-group.ts';
import heartbeat from './12-heartbeat.ts';
import leaveGroup from './13-leave-group.ts';
import syncGroup from './14-sync-group.ts';
import describeGroups from './15-describe-groups.ts';
import listGroups from './16-list-groups.ts';
import deleteGroups from './42-delete-groups.ts';
import offsetDelete from './47-offset-delete.ts';
import offsetForLeaderEpoch from './23-offset-for-leader-epoch.ts';
import electLeaders from './43-elect-leaders.ts';
import alterPartitionReassignments from './45-alter-partition-reassignments.ts';
import listPartitionReassignments from './46-list-partition-reassignments.ts';
import vote from './52-vote.ts';
import beginQuorumEpoch from './53-begin-quorum-epoch.ts';
import endQuorumEpoch from './54-end-quorum-epoch.ts';
import describeQuorum from './55-describe-quorum.ts';
import alterPartition from './56-alter-partition.ts';
import fetchSnapshot from './59-fetch-snapshot.ts';
import brokerRegistration from './62-broker-registration.ts';
import brokerHeartbeat from './63-broker-heartbeat.ts';
import saslHandshake from './17-sasl-handshake.ts';
import saslAuthenticate from './36-sasl-authenticate.ts';
import describeUserScramCredentials from './50-describe-user-scram-credentials.ts';
import alterUserScramCredentials from './51-alter-user-scram-credentials.ts';
import describeAcls from './29-describe-acls.ts';
import createAcls from './30-create-acls.ts';
import deleteAcls from './31-delete-acls.ts';
import addPartitionsToTxn from './24-add-partitions-to-txn.ts';
import addOffsetsToTxn from './25-add-offsets-to-txn.ts';
import endTxn from './26-end-txn.ts';
import writeTxnMarkers from './27-write-txn-markers.ts';
import txnOffsetCommit from './28-txn-offset-commit.ts';
import describeProducers from './61-describe-producers.ts';
import describeTransactions from './65-describe-transactions.ts';
import listTransactions from './66-list-transactions.ts';

export const handlers = new Map<number, ApiHandler>();
for (const h of [produce, fetch, metadata, apiVersions] as ApiHandler[]) handlers.set(h.schema.key, h);
// Admin, offsets and producer ids (issue 4).
for (const h of [
  listOffsets,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  describeConfigs,
  alterConfigs,
  describeLogDirs,
  createPartitions,
  incrementalAlterConfigs,
  describeCluster,
] as ApiHandler[])
  handlers.set(h.schema.key, h);
// Classic groups and committed offsets (issue 4, group part).
for (const h of [
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  deleteGroups,
  offsetDelete,
] as ApiHandler[])
  handlers.set(h.schema.key, h);
// Replication and the metadata quorum (issue 5).
for (const h of [
  offsetForLeaderEpoch,
  electLeaders,
  alterPartitionReassignments,
  listPartitionReassignments,
  vote,
  beginQuorumEpoch,
  endQuorumEpoch,
  describeQuorum,
  alterPartition,
  fetchSnapshot,
  brokerRegistration,
  brokerHeartbeat,
] as ApiHandler[])
  handlers.set(h.schema.key, h);
// SASL and its SCRAM users (issue 14).
for (const h of [saslHandshake, saslAuthenticate, describeUserScramCredentials, alterUserScramCredentials, describeAcls, createAcls, deleteAcls] as ApiHandler[])
  handlers.set(h.schema.key, h);

// Transactions (issue 12).
for (const h of [
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  writeTxnMarkers,
  txnOffsetCommit,
  describeProducers,
  describeTransactions,
  listTransactions,
] as ApiHandler[])
  handlers.set(h.schema.key, h);

export { apiVersionsBody } from './18-api-versions.ts';
