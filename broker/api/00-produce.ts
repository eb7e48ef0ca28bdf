// Produce (key 0). Advertised 0-11 like Kafka 4 (librdkafka enables compression only when
// Produce 0 is advertised) but versions 0-2 are refused per partition with UNSUPPORTED_VERSION:
// they carry message format v0/v1, which this broker does not store.
// Behaviour: each partition's payload must be whole v2 batches with a valid CRC-32C
// (CORRUPT_MESSAGE otherwise, INVALID_RECORD for another magic), each batch at most the topic's
// max.message.bytes (MESSAGE_TOO_LARGE). Batches are stored as received, with base offset and
// leader epoch patched. acks must be -1, 0 or 1 (INVALID_REQUIRED_ACKS); acks=0 gets no response.
// With --fsync the log is fsynced before the answer.
// The append itself is the partition's (partition/partition.ts): acks=-1 (all) is refused with
// NOT_ENOUGH_REPLICAS before appending when fewer than min.insync.replicas ISR members are
// caught up; otherwise answered once the high watermark passes the batch (REQUEST_TIMED_OUT
// after timeoutMs, NOT_LEADER_OR_FOLLOWER if leadership is lost meanwhile). A non-leader
// answers NOT_LEADER_OR_FOLLOWER with currentLeader and the leader's endpoint in nodeEndpoints
// (KIP-951, v10+).
// A write the disk refuses (ENOSPC, EIO, EROFS, EACCES ...) answers KAFKA_STORAGE_ERROR for that
// partition only (retriable: clients refresh metadata and retry); the log keeps nothing of it
// and the node's log dir goes offline (log/log-dir.ts): every later append on this node gets
// KAFKA_STORAGE_ERROR too, while the controller moves leadership to another in-sync replica.
// Idempotent producers (partition/producer-state.ts, as Kafka's ProducerStateManager): a retry
// of one of a producer's last 5 batches is answered NONE with its original offsets (and, for
// acks=all, once those are committed) instead of being stored again; a sequence gap or a new
// epoch not starting at 0 is OUT_OF_ORDER_SEQUENCE_NUMBER, an older epoch
// INVALID_PRODUCER_EPOCH; an idempotent payload of more than one batch is INVALID_RECORD.
// A compacted topic (cleanup.policy includes compact) refuses a batch holding a record without a
// key with INVALID_RECORD, as Kafka; batches in codecs the broker cannot decode (snappy, lz4,
// zstd) are not looked into (deviation: Kafka decompresses them to check).
// Authorization (--acls): WRITE on the topic (TOPIC_AUTHORIZATION_FAILED per partition) and,
// for a transactional producer, WRITE on its transactional id
// (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition), as Kafka.
// Deviations: a non-idempotent payload may hold several batches (Kafka refuses that from v3 on);
// transactional batches are stored and served as committed (no transactions yet).

import { ErrorCode } from '../protocol/errors.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { validateBatches } from '../protocol/record-batch.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import type { LeaderAppendResult } from '../partition/partition.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type PartitionOut = ResponseOf<typeof Produce>['responses'][number]['partitionResponses'][number];

export default defineHandler(Produce, '0-11', async (req, ctx) => {
  const { broker, apiVersion } = ctx;
  const txnRefused = req.transactionalId !== null && !allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId);
  const refuse =
    apiVersion < 3
      ? ErrorCode.UNSUPPORTED_VERSION
      : req.acks !== -1 && req.acks !== 0 && req.acks !== 1
        ? ErrorCode.INVALID_REQUIRED_ACKS
        : txnRefused
          ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
          : 0;
  // Both stay empty on the usual path (a leader here, acks 0 or 1): created when first needed.
  let leaders: Set<number> | undefined;
  let pending: Promise<void>[] | undefined;
  const responses = req.topicData.map((td) => ({
    name: td.name,
    partitionResponses: td.partitionData.map((pd): PartitionOut => {
      const fail = (errorCode: number, errorMessage: string | null = null): PartitionOut => ({
        index: pd.index,
        errorCode,
        baseOffset: -1,
        errorMessage,
      });
      if (refuse) return fail(refuse);
      if (!allowed(ctx, AclOperation.WRITE, ResourceType.TOPIC, td.name)) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const target = broker.leaderPartition({ topic: td.name, partition: pd.index });
      if ('errorCode' in target) {
        const meta = target.meta;
        if (!meta || meta.leader < 0) return fail(target.errorCode);
        (leaders ??= new Set()).add(meta.leader);
        return { ...fail(target.errorCode), currentLeader: { leaderId: meta.leader, leaderEpoch: meta.leaderEpoch } };
      }
      if (!pd.records || pd.records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE, 'empty records');
      const batches = validateBatches(pd.records);
      if (typeof batches === 'string') return fail(ErrorCode[batches], `invalid record batch: ${batches}`);
      const out: PartitionOut = { index: pd.index, errorCode: ErrorCode.NONE, baseOffset: -1 };
      const fill = (r: LeaderAppendResult) => {
        out.errorCode = r.errorCode;
        out.errorMessage = r.errorMessage;
        out.baseOffset = r.baseOffset;
        if (r.errorCode === ErrorCode.NONE) {
          out.logAppendTimeMs = r.logAppendTime;
          out.logStartOffset = r.logStartOffset;
        }
      };
      const res = target.appendAsLeader({ buf: pd.records, batches }, req.acks, req.timeoutMs);
      // Kafka's BytesIn/MessagesIn count what the leader appended (a promise: appended, awaiting the ISR).
      if (res instanceof Promise || res.errorCode === ErrorCode.NONE)
        ctx.meters?.appended(td.name, pd.index, pd.records.length, batches.reduce((n, b) => n + b.recordsCount, 0));
      if (res instanceof Promise) (pending ??= []).push(res.then(fill));
      else fill(res);
      return out;
    }),
  }));
  if (pending) await Promise.all(pending);
  if (req.acks === 0) return null;
  const nodeEndpoints = leaders
    ? [...leaders]
        .map((id) => ({ id, ep: broker.quorum?.endpoint(id) }))
        .filter((x) => x.ep)
        .map(({ id, ep }) => ({ nodeId: id, host: ep!.host, port: ep!.port, rack: null }))
    : [];
  return { responses, throttleTimeMs: 0, nodeEndpoints };
});
