// Byte-exact fixtures for the hot APIs, written by hand from the protocol guide
// (kafka-reference/docs/protocol.html), not produced by our own encoder: classic encodings use
// int16/int32 length prefixes (-1 = null); flexible versions use compact strings, bytes and arrays
// (uvarint length + 1, 0 = null) and end every struct with a tagged-field section
// (uvarint count, then uvarint tag, uvarint size, value). Each fixture must encode to exactly its
// bytes and decode back to its value; every strict prefix of it must fail with a ProtocolError.

import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, Reader } from './reader.ts';
import { Writer } from './writer.ts';
import { decode, encode, type ApiSchema, type Fields, type Message, type Out, type StructType } from './schema.ts';
import { readRequestHeader, skipHeaderTags } from './header.ts';
import { ApiVersions, DescribeTopicPartitions, Fetch, Metadata, Produce } from './messages/index.ts';

/** Hex with `#` comments and any whitespace. */
function hex(strings: TemplateStringsArray): Buffer {
  const text = strings.raw.join('').replace(/#.*$/gm, '').replace(/\s+/g, '');
  assert.match(text, /^(?:[0-9a-f]{2})*$/i, 'fixture is not whole bytes of hex');
  return Buffer.from(text, 'hex');
}

const ZERO_UUID = '00000000000000000000000000000000';
const TOPIC_ID = '0123456789abcdef0123456789abcdef';

interface Fixture {
  name: string;
  schema: ApiSchema;
  side: 'request' | 'response';
  version: number;
  /** The decoded form: every field of the message, defaults included. */
  value: Record<string, unknown>;
  bytes: Buffer;
}

function msg(f: Pick<Fixture, 'schema' | 'side'>): Message<Fields> {
  return (f.side === 'request' ? f.schema.request : f.schema.response) as Message<Fields>;
}

function encodeTo(f: Pick<Fixture, 'schema' | 'side' | 'version'>, value: Out<StructType<Fields>>): Buffer {
  const w = new Writer(16); // small on purpose: exercises the writer's growth
  encode(msg(f), f.version, value, w);
  return w.toBuffer();
}

function decodeAll(f: Pick<Fixture, 'schema' | 'side' | 'version'>, bytes: Buffer): unknown {
  const r = new Reader(bytes);
  const v = decode(msg(f), f.version, r);
  assert.equal(r.pos, bytes.length, 'decoder left bytes unread');
  return v;
}

const fixtures: Fixture[] = [
  // ------------------------------------------------------------------ ApiVersions (18)
  {
    name: 'ApiVersions request v0',
    schema: ApiVersions,
    side: 'request',
    version: 0,
    value: { clientSoftwareName: '', clientSoftwareVersion: '' },
    bytes: hex`# empty body: v0 has no fields`,
  },
  {
    name: 'ApiVersions request v3',
    schema: ApiVersions,
    side: 'request',
    version: 3,
    value: { clientSoftwareName: 'samsa', clientSoftwareVersion: '0.1.0' },
    bytes: hex`
      06 73 61 6d 73 61      # clientSoftwareName: compact string, length 5 (+1), 'samsa'
      06 30 2e 31 2e 30      # clientSoftwareVersion: compact string '0.1.0'
      00                     # no tagged fields
    `,
  },
  {
    name: 'ApiVersions response v0',
    schema: ApiVersions,
    side: 'response',
    version: 0,
    value: {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 0, maxVersion: 11 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    },
    bytes: hex`
      00 00                  # errorCode 0
      00 00 00 02            # apiKeys: int32 count 2
        00 00  00 00  00 0b  #   Produce 0..11
        00 12  00 00  00 04  #   ApiVersions 0..4
    `,
  },
  {
    name: 'ApiVersions response v3 (tagged supportedFeatures and finalizedFeaturesEpoch)',
    schema: ApiVersions,
    side: 'response',
    version: 3,
    value: {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 0, maxVersion: 11 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
      throttleTimeMs: 0,
      supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 21 }],
      finalizedFeaturesEpoch: 5,
      finalizedFeatures: [],
      zkMigrationReady: false,
    },
    bytes: hex`
      00 00                  # errorCode 0
      03                     # apiKeys: compact array, 2 (+1)
        00 00  00 00  00 0b  00   # Produce 0..11, no tagged fields
        00 12  00 00  00 04  00   # ApiVersions 0..4, no tagged fields
      00 00 00 00            # throttleTimeMs 0
      02                     # 2 tagged fields (finalizedFeatures [] and zkMigrationReady false are defaults)
      00 17                  # tag 0 supportedFeatures, 23 bytes
        02                   #   compact array, 1 (+1)
        11 6d 65 74 61 64 61 74 61 2e 76 65 72 73 69 6f 6e  # name 'metadata.version' (16 +1)
        00 01  00 15         #   minVersion 1, maxVersion 21
        00                   #   no tagged fields
      01 08                  # tag 1 finalizedFeaturesEpoch, 8 bytes
        00 00 00 00 00 00 00 05
    `,
  },

  // ------------------------------------------------------------------ Metadata (3)
  {
    name: 'Metadata request v1',
    schema: Metadata,
    side: 'request',
    version: 1,
    value: {
      topics: [{ topicId: ZERO_UUID, name: 'orders' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    },
    bytes: hex`
      00 00 00 01            # topics: int32 count 1 (nullable from v1)
        00 06 6f 72 64 65 72 73   # name: int16 length 6, 'orders'
    `,
  },
  {
    name: 'Metadata request v1, all topics (null array)',
    schema: Metadata,
    side: 'request',
    version: 1,
    value: {
      topics: null,
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    },
    bytes: hex`ff ff ff ff  # topics: null`,
  },
  {
    name: 'Metadata request v12',
    schema: Metadata,
    side: 'request',
    version: 12,
    value: {
      topics: [
        { topicId: ZERO_UUID, name: 'orders' },
        { topicId: TOPIC_ID, name: null },
      ],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    },
    bytes: hex`
      03                     # topics: compact nullable array, 2 (+1)
        00000000 00000000 00000000 00000000  # topicId: zero (asked by name)
        07 6f 72 64 65 72 73                 # name: compact nullable string 'orders'
        00                                   # no tagged fields
        01234567 89abcdef 01234567 89abcdef  # topicId
        00                                   # name: null
        00                                   # no tagged fields
      01                     # allowAutoTopicCreation true
      00                     # includeTopicAuthorizedOperations false (cluster ops: v8-10 only)
      00                     # no tagged fields
    `,
  },
  {
    name: 'Metadata response v1',
    schema: Metadata,
    side: 'response',
    version: 1,
    value: {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: null,
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: ZERO_UUID,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: -1,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    },
    bytes: hex`
      00 00 00 01            # brokers: 1
        00 00 00 01          #   nodeId 1
        00 09 31 32 37 2e 30 2e 30 2e 31  # host '127.0.0.1'
        00 00 23 84          #   port 9092
        ff ff                #   rack: null
      00 00 00 01            # controllerId 1
      00 00 00 01            # topics: 1
        00 00                #   errorCode 0
        00 06 6f 72 64 65 72 73  # name 'orders'
        00                   #   isInternal false
        00 00 00 01          #   partitions: 1
          00 00              #     errorCode 0
          00 00 00 00        #     partitionIndex 0
          00 00 00 01        #     leaderId 1
          00 00 00 01  00 00 00 01  # replicaNodes [1]
          00 00 00 01  00 00 00 01  # isrNodes [1]
    `,
  },
  {
    name: 'Metadata response v12',
    schema: Metadata,
    side: 'response',
    version: 12,
    value: {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: 'r1' }],
      clusterId: 'samsa',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: TOPIC_ID,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 0,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    },
    bytes: hex`
      00 00 00 00            # throttleTimeMs 0
      02                     # brokers: compact array, 1
        00 00 00 01          #   nodeId 1
        0a 31 32 37 2e 30 2e 30 2e 31  # host '127.0.0.1' (9 +1)
        00 00 23 84          #   port 9092
        03 72 31             #   rack 'r1'
        00                   #   no tagged fields
      06 73 61 6d 73 61      # clusterId 'samsa'
      00 00 00 01            # controllerId 1
      02                     # topics: 1
        00 00                #   errorCode 0
        07 6f 72 64 65 72 73 #   name 'orders'
        01234567 89abcdef 01234567 89abcdef  # topicId
        00                   #   isInternal false
        02                   #   partitions: 1
          00 00              #     errorCode 0
          00 00 00 00        #     partitionIndex 0
          00 00 00 01        #     leaderId 1
          00 00 00 00        #     leaderEpoch 0
          02 00 00 00 01     #     replicaNodes [1]
          02 00 00 00 01     #     isrNodes [1]
          01                 #     offlineReplicas []
          00                 #     no tagged fields
        80 00 00 00          #   topicAuthorizedOperations INT32_MIN (not requested)
        00                   #   no tagged fields
      00                     # no tagged fields
    `,
  },

  // ------------------------------------------------------------------ Produce (0)
  {
    name: 'Produce request v3',
    schema: Produce,
    side: 'request',
    version: 3,
    value: {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: Buffer.from('deadbeef', 'hex') }] }],
    },
    bytes: hex`
      ff ff                  # transactionalId: null
      ff ff                  # acks -1 (all)
      00 00 75 30            # timeoutMs 30000
      00 00 00 01            # topicData: 1
        00 06 6f 72 64 65 72 73  # name 'orders'
        00 00 00 01          #   partitionData: 1
          00 00 00 00        #     index 0
          00 00 00 04 de ad be ef  # records: int32 length 4, opaque to the codec
    `,
  },
  {
    name: 'Produce request v11',
    schema: Produce,
    side: 'request',
    version: 11,
    value: {
      transactionalId: 'tx',
      acks: 1,
      timeoutMs: 5000,
      topicData: [{ name: 'orders', partitionData: [{ index: 2, records: Buffer.from('deadbeef', 'hex') }] }],
    },
    bytes: hex`
      03 74 78               # transactionalId 'tx'
      00 01                  # acks 1
      00 00 13 88            # timeoutMs 5000
      02                     # topicData: 1
        07 6f 72 64 65 72 73 #   name 'orders'
        02                   #   partitionData: 1
          00 00 00 02        #     index 2
          05 de ad be ef     #     records: compact bytes, 4 (+1)
          00                 #     no tagged fields
        00                   #   no tagged fields
      00                     # no tagged fields
    `,
  },
  {
    name: 'Produce response v3',
    schema: Produce,
    side: 'response',
    version: 3,
    value: {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 0,
              errorCode: 0,
              baseOffset: 42,
              logAppendTimeMs: -1,
              logStartOffset: -1,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [],
    },
    bytes: hex`
      00 00 00 01            # responses: 1
        00 06 6f 72 64 65 72 73  # name 'orders'
        00 00 00 01          #   partitionResponses: 1
          00 00 00 00        #     index 0
          00 00              #     errorCode 0
          00 00 00 00 00 00 00 2a  # baseOffset 42
          ff ff ff ff ff ff ff ff  # logAppendTimeMs -1 (CreateTime topic)
      00 00 00 00            # throttleTimeMs 0
    `,
  },
  {
    name: 'Produce response v11 (tagged currentLeader and nodeEndpoints)',
    schema: Produce,
    side: 'response',
    version: 11,
    value: {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 0,
              errorCode: 6,
              baseOffset: -1,
              logAppendTimeMs: -1,
              logStartOffset: -1,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: 2, leaderEpoch: 7 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [{ nodeId: 2, host: '127.0.0.1', port: 9093, rack: null }],
    },
    bytes: hex`
      02                     # responses: 1
        07 6f 72 64 65 72 73 #   name 'orders'
        02                   #   partitionResponses: 1
          00 00 00 00        #     index 0
          00 06              #     errorCode 6 NOT_LEADER_OR_FOLLOWER
          ff ff ff ff ff ff ff ff  # baseOffset -1
          ff ff ff ff ff ff ff ff  # logAppendTimeMs -1
          ff ff ff ff ff ff ff ff  # logStartOffset -1
          01                 #     recordErrors []
          00                 #     errorMessage null
          01                 #     1 tagged field
          00 09              #     tag 0 currentLeader, 9 bytes
            00 00 00 02      #       leaderId 2
            00 00 00 07      #       leaderEpoch 7
            00               #       no tagged fields
        00                   #   no tagged fields
      00 00 00 00            # throttleTimeMs 0
      01                     # 1 tagged field
      00 15                  # tag 0 nodeEndpoints, 21 bytes
        02                   #   compact array, 1
        00 00 00 02          #   nodeId 2
        0a 31 32 37 2e 30 2e 30 2e 31  # host '127.0.0.1'
        00 00 23 85          #   port 9093
        00                   #   rack null
        00                   #   no tagged fields
    `,
  },

  // ------------------------------------------------------------------ Fetch (1)
  {
    name: 'Fetch request v4',
    schema: Fetch,
    side: 'request',
    version: 4,
    value: {
      clusterId: null,
      replicaId: -1,
      replicaState: { replicaId: -1, replicaEpoch: -1 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'orders',
          topicId: ZERO_UUID,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 100,
              lastFetchedEpoch: -1,
              logStartOffset: -1,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: ZERO_UUID,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    },
    bytes: hex`
      ff ff ff ff            # replicaId -1 (a consumer)
      00 00 01 f4            # maxWaitMs 500
      00 00 00 01            # minBytes 1
      03 20 00 00            # maxBytes 52428800
      00                     # isolationLevel 0 (read_uncommitted)
      00 00 00 01            # topics: 1
        00 06 6f 72 64 65 72 73  # topic 'orders'
        00 00 00 01          #   partitions: 1
          00 00 00 00        #     partition 0
          00 00 00 00 00 00 00 64  # fetchOffset 100
          00 10 00 00        #     partitionMaxBytes 1048576
    `,
  },
  {
    name: 'Fetch request v17 (tagged clusterId and replicaState)',
    schema: Fetch,
    side: 'request',
    version: 17,
    value: {
      clusterId: 'samsa',
      replicaId: -1,
      replicaState: { replicaId: 2, replicaEpoch: 5 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: '',
          topicId: TOPIC_ID,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: 3,
              fetchOffset: 100,
              lastFetchedEpoch: -1,
              logStartOffset: -1,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: ZERO_UUID,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    },
    bytes: hex`
      00 00 01 f4            # maxWaitMs 500 (replicaId moved to replicaState in v15)
      00 00 00 01            # minBytes 1
      03 20 00 00            # maxBytes 52428800
      01                     # isolationLevel 1 (read_committed)
      00 00 00 00            # sessionId 0
      ff ff ff ff            # sessionEpoch -1 (full fetch, no session)
      02                     # topics: 1
        01234567 89abcdef 01234567 89abcdef  # topicId
        02                   #   partitions: 1
          00 00 00 00        #     partition 0
          00 00 00 03        #     currentLeaderEpoch 3
          00 00 00 00 00 00 00 64  # fetchOffset 100
          ff ff ff ff        #     lastFetchedEpoch -1
          ff ff ff ff ff ff ff ff  # logStartOffset -1
          00 10 00 00        #     partitionMaxBytes 1048576
          00                 #     no tagged fields (replicaDirectoryId is zero)
        00                   #   no tagged fields
      01                     # forgottenTopicsData []
      01                     # rackId ''
      02                     # 2 tagged fields
      00 06                  # tag 0 clusterId, 6 bytes
        06 73 61 6d 73 61    #   'samsa'
      01 0d                  # tag 1 replicaState, 13 bytes
        00 00 00 02          #   replicaId 2
        00 00 00 00 00 00 00 05  # replicaEpoch 5
        00                   #   no tagged fields
    `,
  },
  {
    name: 'Fetch response v4',
    schema: Fetch,
    side: 'response',
    version: 4,
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'orders',
          topicId: ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 200,
              lastStableOffset: 200,
              logStartOffset: -1,
              divergingEpoch: { epoch: -1, endOffset: -1 },
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
              snapshotId: { endOffset: -1, epoch: -1 },
              abortedTransactions: [{ producerId: 7, firstOffset: 150 }],
              preferredReadReplica: -1,
              records: Buffer.from('cafebabe', 'hex'),
            },
          ],
        },
      ],
      nodeEndpoints: [],
    },
    bytes: hex`
      00 00 00 00            # throttleTimeMs 0
      00 00 00 01            # responses: 1
        00 06 6f 72 64 65 72 73  # topic 'orders'
        00 00 00 01          #   partitions: 1
          00 00 00 00        #     partitionIndex 0
          00 00              #     errorCode 0
          00 00 00 00 00 00 00 c8  # highWatermark 200
          00 00 00 00 00 00 00 c8  # lastStableOffset 200
          00 00 00 01        #     abortedTransactions: 1
            00 00 00 00 00 00 00 07  # producerId 7
            00 00 00 00 00 00 00 96  # firstOffset 150
          00 00 00 04 ca fe ba be    # records: int32 length 4
    `,
  },
  {
    name: 'Fetch response v17 (tagged currentLeader)',
    schema: Fetch,
    side: 'response',
    version: 17,
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 12,
      responses: [
        {
          topic: '',
          topicId: TOPIC_ID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 200,
              lastStableOffset: 200,
              logStartOffset: 0,
              divergingEpoch: { epoch: -1, endOffset: -1 },
              currentLeader: { leaderId: 1, leaderEpoch: 4 },
              snapshotId: { endOffset: -1, epoch: -1 },
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: Buffer.from('cafebabe', 'hex'),
            },
          ],
        },
      ],
      nodeEndpoints: [],
    },
    bytes: hex`
      00 00 00 00            # throttleTimeMs 0
      00 00                  # errorCode 0
      00 00 00 0c            # sessionId 12
      02                     # responses: 1
        01234567 89abcdef 01234567 89abcdef  # topicId
        02                   #   partitions: 1
          00 00 00 00        #     partitionIndex 0
          00 00              #     errorCode 0
          00 00 00 00 00 00 00 c8  # highWatermark 200
          00 00 00 00 00 00 00 c8  # lastStableOffset 200
          00 00 00 00 00 00 00 00  # logStartOffset 0
          00                 #     abortedTransactions null
          ff ff ff ff        #     preferredReadReplica -1
          05 ca fe ba be     #     records: compact, 4 (+1)
          01                 #     1 tagged field
          01 09              #     tag 1 currentLeader, 9 bytes
            00 00 00 01      #       leaderId 1
            00 00 00 04      #       leaderEpoch 4
            00               #       no tagged fields
        00                   #   no tagged fields
      00                     # no tagged fields
    `,
  },

  {
    // Kafka writes empty records for a partition with an error; librdkafka rejects the whole
    // response on a -1 MessageSetSize (issue 9).
    name: 'Fetch response v4, an error partition: empty records, never null',
    schema: Fetch,
    side: 'response',
    version: 4,
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'orders',
          topicId: ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 1,
              highWatermark: 3,
              lastStableOffset: 3,
              logStartOffset: -1,
              divergingEpoch: { epoch: -1, endOffset: -1 },
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
              snapshotId: { endOffset: -1, epoch: -1 },
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: Buffer.alloc(0),
            },
          ],
        },
      ],
      nodeEndpoints: [],
    },
    bytes: hex`
      00 00 00 00            # throttleTimeMs 0
      00 00 00 01            # responses: 1
        00 06 6f 72 64 65 72 73  # topic 'orders'
        00 00 00 01          #   partitions: 1
          00 00 00 00        #     partitionIndex 0
          00 01              #     errorCode 1 OFFSET_OUT_OF_RANGE
          00 00 00 00 00 00 00 03  # highWatermark 3
          00 00 00 00 00 00 00 03  # lastStableOffset 3
          ff ff ff ff        #     abortedTransactions null (read_uncommitted)
          00 00 00 00        #     records: int32 length 0, not -1
    `,
  },
  {
    name: 'Fetch response v17, an error partition: empty records, never null',
    schema: Fetch,
    side: 'response',
    version: 17,
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: '',
          topicId: TOPIC_ID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 1,
              highWatermark: 3,
              lastStableOffset: 3,
              logStartOffset: 0,
              divergingEpoch: { epoch: -1, endOffset: -1 },
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
              snapshotId: { endOffset: -1, epoch: -1 },
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: Buffer.alloc(0),
            },
          ],
        },
      ],
      nodeEndpoints: [],
    },
    bytes: hex`
      00 00 00 00            # throttleTimeMs 0
      00 00                  # errorCode 0
      00 00 00 00            # sessionId 0
      02                     # responses: 1
        01234567 89abcdef 01234567 89abcdef  # topicId
        02                   #   partitions: 1
          00 00 00 00        #     partitionIndex 0
          00 01              #     errorCode 1 OFFSET_OUT_OF_RANGE
          00 00 00 00 00 00 00 03  # highWatermark 3
          00 00 00 00 00 00 00 03  # lastStableOffset 3
          00 00 00 00 00 00 00 00  # logStartOffset 0
          00                 #     abortedTransactions null
          ff ff ff ff        #     preferredReadReplica -1
          01                 #     records: compact length 0 (+1), not 0 (null)
          00                 #     no tagged fields
        00                   #   no tagged fields
      00                     # no tagged fields
    `,
  },

  // ------------------------------------------------------------------ nullable structs
  {
    name: 'DescribeTopicPartitions request v0 with a cursor (nullable struct present)',
    schema: DescribeTopicPartitions,
    side: 'request',
    version: 0,
    value: {
      topics: [{ name: 'orders' }],
      responsePartitionLimit: 2000,
      cursor: { topicName: 'orders', partitionIndex: 5 },
    },
    bytes: hex`
      02 07 6f 72 64 65 72 73 00  # topics: [{ name 'orders' }]
      00 00 07 d0            # responsePartitionLimit 2000
      01                     # cursor: present (int8 1)
        07 6f 72 64 65 72 73 #   topicName 'orders'
        00 00 00 05          #   partitionIndex 5
        00                   #   no tagged fields
      00                     # no tagged fields
    `,
  },
  {
    name: 'DescribeTopicPartitions request v0 without a cursor (nullable struct null)',
    schema: DescribeTopicPartitions,
    side: 'request',
    version: 0,
    value: { topics: [{ name: 'orders' }], responsePartitionLimit: 2000, cursor: null },
    bytes: hex`
      02 07 6f 72 64 65 72 73 00  # topics: [{ name 'orders' }]
      00 00 07 d0            # responsePartitionLimit 2000
      ff                     # cursor: null (int8 -1)
      00                     # no tagged fields
    `,
  },
];

for (const f of fixtures) {
  test(`encode ${f.name}`, () => {
    assert.equal(encodeTo(f, f.value).toString('hex'), f.bytes.toString('hex'));
  });
  test(`decode ${f.name}`, () => {
    assert.deepEqual(decodeAll(f, f.bytes), f.value);
  });
  test(`every truncation of ${f.name} throws ProtocolError`, () => {
    for (let n = 0; n < f.bytes.length; n++) {
      assert.throws(() => decode(msg(f), f.version, new Reader(f.bytes.subarray(0, n))), ProtocolError, `prefix ${n}`);
    }
  });
}

test('encode fills in defaults for version-limited, tagged and defaulted fields left out', () => {
  const f = { schema: Metadata, side: 'response', version: 1 } as const;
  const full = fixtures.find((x) => x.name === 'Metadata response v1')!;
  const sparse = {
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    controllerId: 1,
    topics: [
      {
        errorCode: 0,
        name: 'orders',
        partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }],
      },
    ],
  };
  assert.equal(encodeTo(f, sparse).toString('hex'), full.bytes.toString('hex'));
});

test('a tagged struct equal to its default is not written', () => {
  const f = { schema: Produce, side: 'response', version: 11 } as const;
  const bytes = encodeTo(f, {
    responses: [
      {
        name: 'p',
        partitionResponses: [
          { index: 0, errorCode: 0, baseOffset: 0, currentLeader: { leaderId: -1, leaderEpoch: -1 } },
        ],
      },
    ],
    throttleTimeMs: 0,
  });
  const expected = hex`
    02 02 70               # responses: [{ name 'p'
    02 00000000 0000       #   partitionResponses: [{ index 0, errorCode 0
    00000000 00000000      #     baseOffset 0
    ffffffff ffffffff      #     logAppendTimeMs -1
    ffffffff ffffffff      #     logStartOffset -1
    01 00                  #     recordErrors [], errorMessage null
    00                     #     no tagged fields: currentLeader equals its default
    00                     #   no tagged fields
    00000000 00            # throttleTimeMs 0, no tagged fields
  `;
  assert.equal(bytes.toString('hex'), expected.toString('hex'));
});

test('records given as null (an untyped caller) are still written as empty records', () => {
  for (const version of [4, 17]) {
    const f = fixtures.find((x) => x.schema === Fetch && x.version === version && x.name.includes('error partition'))!;
    const value = structuredClone(f.value) as { responses: { partitions: { records: unknown }[] }[] };
    value.responses[0].partitions[0].records = null;
    assert.equal(encodeTo(f, value as Out<StructType<Fields>>).toString('hex'), f.bytes.toString('hex'), `v${version}`);
  }
});

test('unknown tagged fields are skipped on decode', () => {
  const f = fixtures.find((x) => x.name === 'ApiVersions request v3')!;
  const withUnknown = hex`
    06 73 61 6d 73 61      # clientSoftwareName 'samsa'
    06 30 2e 31 2e 30      # clientSoftwareVersion '0.1.0'
    01                     # 1 tagged field
    05 02 ab cd            # tag 5 (unknown to ApiVersions v3), 2 bytes
  `;
  assert.deepEqual(decodeAll(f, withUnknown), f.value);

  // Nested: an unknown tag inside a topic of Metadata request v12.
  const m = fixtures.find((x) => x.name === 'Metadata request v12')!;
  const nested = hex`
    03
      00000000 00000000 00000000 00000000  07 6f 72 64 65 72 73
      02                   # 2 tagged fields
      03 02 be ef          # tag 3 (unknown), 2 bytes
      09 00                # tag 9 (unknown), empty
      01234567 89abcdef 01234567 89abcdef  00  00
    01 00 00
  `;
  assert.deepEqual(decodeAll(m, nested), m.value);
});

test('tagged fields out of order or past the frame are rejected', () => {
  const f = fixtures.find((x) => x.name === 'ApiVersions request v3')!;
  const unordered = hex`06 73616d7361 06 302e312e30  02  05 00  03 00  # tag 5 then tag 3`;
  assert.throws(() => decodeAll(f, unordered), ProtocolError);
  const tooLong = hex`06 73616d7361 06 302e312e30  01  05 7f 00  # tag 5 claims 127 bytes`;
  assert.throws(() => decodeAll(f, tooLong), ProtocolError);
});

test('an array count beyond the remaining bytes throws without allocating', () => {
  const classic = { schema: Metadata, side: 'request', version: 1 } as const;
  assert.throws(() => decodeAll(classic, hex`7f ff ff ff  00 00`), /exceeds frame/);
  const compact = { schema: Metadata, side: 'request', version: 12 } as const;
  // uvarint 0xffffffff: a count of about four billion in five bytes.
  assert.throws(() => decodeAll(compact, hex`ff ff ff ff 0f  00 00 00`), ProtocolError);
  // A string length beyond the frame.
  assert.throws(() => decodeAll(classic, hex`00 00 00 01  7f ff 61`), ProtocolError);
  // Lengths below -1 are malformed, not null.
  assert.throws(() => decodeAll(classic, hex`ff ff ff fe`), ProtocolError);
});

test('null for a non-nullable field throws, on decode and on encode', () => {
  const f = { schema: Produce, side: 'request', version: 3 } as const;
  const nullName = hex`
    ff ff  ff ff  00 00 75 30
    00 00 00 01
      ff ff                # name: null, but topic names are not nullable
      00 00 00 00
  `;
  assert.throws(() => decodeAll(f, nullName), /non-nullable field name/);
  const flexible = { schema: Produce, side: 'request', version: 11 } as const;
  assert.throws(() => decodeAll(flexible, hex`00 0001 00001388 02 00 01 00 00`), /non-nullable field name/);
  assert.throws(() => decodeAll(flexible, hex`00 0001 00001388 00 00`), /non-nullable field topicData/);

  assert.throws(
    () => encodeTo(f, { acks: 1, timeoutMs: 1, topicData: [{ name: null, partitionData: [] }] }),
    /non-nullable field name/,
  );
  assert.throws(() => encodeTo(f, { acks: 1, timeoutMs: 1, topicData: null }), /non-nullable field topicData/);
});

test('kcat (librdkafka) ApiVersions v3 request decodes', { timeout: 20_000 }, async (t) => {
  if (spawnSync('kcat', ['-V']).error) {
    t.skip('kcat not installed');
    return;
  }
  let kcat: ReturnType<typeof spawn> | undefined;
  const frame = await new Promise<Buffer>((resolve, reject) => {
    const server = net.createServer((socket) => {
      let buf = Buffer.alloc(0);
      socket.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
          resolve(buf.subarray(4, 4 + buf.readInt32BE(0)));
          socket.destroy();
          server.close();
        }
      });
      socket.on('error', () => {});
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      kcat = spawn('kcat', ['-b', `127.0.0.1:${port}`, '-L', '-m', '5'], { stdio: 'ignore' });
      kcat.on('error', reject);
    });
  }).finally(() => kcat?.kill());

  const r = new Reader(frame);
  const header = readRequestHeader(r);
  assert.equal(header.apiKey, 18);
  assert.equal(header.apiVersion, 3);
  assert.ok(header.apiVersion >= ApiVersions.flexibleFrom); // request header v2
  skipHeaderTags(r);
  const body = decode(ApiVersions.request, header.apiVersion, r);
  assert.equal(r.pos, frame.length);
  assert.equal(body.clientSoftwareName, 'librdkafka');
  assert.match(body.clientSoftwareVersion, /^\d+\.\d+\.\d+/);
});
