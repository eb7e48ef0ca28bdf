// Every API schema, by api key. The broker's registry (api/index.ts) picks the ones it serves.
import type { ApiSchema } from '../schema.ts';
import { Produce } from './produce.ts';
import { Fetch } from './fetch.ts';
import { ListOffsets } from './list-offsets.ts';
import { Metadata } from './metadata.ts';
import { OffsetCommit } from './offset-commit.ts';
import { OffsetFetch } from './offset-fetch.ts';
import { FindCoordinator } from './find-coordinator.ts';
import { JoinGroup } from './join-group.ts';
import { Heartbeat } from './heartbeat.ts';
import { LeaveGroup } from './leave-group.ts';
import { SyncGroup } from './sync-group.ts';
import { DescribeGroups } from './describe-groups.ts';
import { ListGroups } from './list-groups.ts';
import { SaslHandshake } from './sasl-handshake.ts';
import { ApiVersions } from './api-versions.ts';
import { CreateTopics } from './create-topics.ts';
import { DeleteTopics } from './delete-topics.ts';
import { DeleteRecords } from './delete-records.ts';
import { InitProducerId } from './init-producer-id.ts';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch.ts';
import { AddPartitionsToTxn } from './add-partitions-to-txn.ts';
import { AddOffsetsToTxn } from './add-offsets-to-txn.ts';
import { EndTxn } from './end-txn.ts';
import { WriteTxnMarkers } from './write-txn-markers.ts';
import { TxnOffsetCommit } from './txn-offset-commit.ts';
import { DescribeConfigs } from './describe-configs.ts';
import { AlterConfigs } from './alter-configs.ts';
import { DescribeLogDirs } from './describe-log-dirs.ts';
import { SaslAuthenticate } from './sasl-authenticate.ts';
import { CreatePartitions } from './create-partitions.ts';
import { DeleteGroups } from './delete-groups.ts';
import { ElectLeaders } from './elect-leaders.ts';
import { IncrementalAlterConfigs } from './incremental-alter-configs.ts';
import { OffsetDelete } from './offset-delete.ts';
import { Vote } from './vote.ts';
import { BeginQuorumEpoch } from './begin-quorum-epoch.ts';
import { EndQuorumEpoch } from './end-quorum-epoch.ts';
import { DescribeQuorum } from './describe-quorum.ts';
import { AlterPartition } from './alter-partition.ts';
import { FetchSnapshot } from './fetch-snapshot.ts';
import { DescribeCluster } from './describe-cluster.ts';
import { DescribeProducers } from './describe-producers.ts';
import { BrokerRegistration } from './broker-registration.ts';
import { BrokerHeartbeat } from './broker-heartbeat.ts';
import { DescribeTransactions } from './describe-transactions.ts';
import { ListTransactions } from './list-transactions.ts';
import { ConsumerGroupHeartbeat } from './consumer-group-heartbeat.ts';
import { ConsumerGroupDescribe } from './consumer-group-describe.ts';
import { DescribeTopicPartitions } from './describe-topic-partitions.ts';

export {
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  OffsetForLeaderEpoch,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeConfigs,
  AlterConfigs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  DeleteGroups,
  ElectLeaders,
  IncrementalAlterConfigs,
  OffsetDelete,
  Vote,
  BeginQuorumEpoch,
  EndQuorumEpoch,
  DescribeQuorum,
  AlterPartition,
  FetchSnapshot,
  DescribeCluster,
  DescribeProducers,
  BrokerRegistration,
  BrokerHeartbeat,
  DescribeTransactions,
  ListTransactions,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
  DescribeTopicPartitions,
};

export const allSchemas: readonly ApiSchema[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  OffsetForLeaderEpoch,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeConfigs,
  AlterConfigs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  DeleteGroups,
  ElectLeaders,
  IncrementalAlterConfigs,
  OffsetDelete,
  Vote,
  BeginQuorumEpoch,
  EndQuorumEpoch,
  DescribeQuorum,
  AlterPartition,
  FetchSnapshot,
  DescribeCluster,
  DescribeProducers,
  BrokerRegistration,
  BrokerHeartbeat,
  DescribeTransactions,
  ListTransactions,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
  DescribeTopicPartitions,
];
