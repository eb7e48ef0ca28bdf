// Produce (key 0). Advertised 0-11 like Kafka 4 (librdkafka enables compression only when
// Produce 0 is advertised) but versions 0-2 are refused per partition with UNSUPPORTED_VERSION:
// they carry message format v0/v1, which this broker does not store.
// Behaviour: each partition's payload must be whole v2 batches with a valid CRC-32C
// (CORRUPT_MESSAGE otherwise, INVALID_RECORD for another magic), each batch at most the topic's
// max.message.bytes (MESSAGE_TOO_LARGE). Batches are stored as received, with base offset and
// leader epoch patched. acks must be -1, 0 or 1 (INVALID_REQUIRED_ACKS); acks=0 gets no response.
// With --fsync the log is fsynced before the answer.
// acks=-1 (all): refused with NOT_ENOUGH_REPLICAS before appending when fewer than
// min.insync.replicas ISR members are caught up; otherwise answered once the high watermark
// passes the batch (REQUEST_TIMED_OUT after timeoutMs, NOT_LEADER_OR_FOLLOWER if leadership is
// lost meanwhile). A non-leader answers NOT_LEADER_OR_FOLLOWER with currentLeader and the
// leader's endpoint in nodeEndpoints (KIP-951, v10+).
// Deviations (for now): no idempotent de-duplication or sequence checks, and transactional
// batches are stored and served as committed.

import { ErrorCode } from '../protocol/errors.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { validateBatches } from '../protocol/record-batch.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { effectiveConfig } from '../metadata/topic-configs.ts';
import { defineHandler } from './types.ts';

type PartitionOut = ResponseOf<typeof Produce>['responses'][number]['partitionResponses'][number];

export default defineHandler(Produce, '0-11', async (req, ctx) => {
  const { broker, apiVersion } = ctx;
  const refuse = apiVersion < 3 ? ErrorCode.UNSUPPORTED_VERSION : ![-1, 0, 1].includes(req.acks) ? ErrorCode.INVALID_REQUIRED_ACKS : 0;
  const leaders = new Set<number>();
  const pending: Promise<void>[] = [];
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
      const target = broker.leaderLog(td.name, pd.index);
      if ('errorCode' in target) {
        const meta = broker.metadata.topic(td.name)?.partitions[pd.index];
        if (target.errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER || !meta || meta.leader < 0) return fail(target.errorCode);
        leaders.add(meta.leader);
        return { ...fail(target.errorCode), currentLeader: { leaderId: meta.leader, leaderEpoch: meta.leaderEpoch } };
      }
      if (!pd.records || pd.records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE, 'empty records');
      const batches = validateBatches(pd.records);
      if (typeof batches === 'string') return fail(ErrorCode[batches], `invalid record batch: ${batches}`);
      const topic = broker.metadata.topic(td.name)!;
      const maxMessageBytes = Number(effectiveConfig(topic.configs, broker.metadata.brokerConfigs())('max.message.bytes'));
      const tooBig = batches.find((b) => b.size > maxMessageBytes);
      if (tooBig)
        return fail(ErrorCode.MESSAGE_TOO_LARGE, `batch of ${tooBig.size} bytes exceeds max.message.bytes ${maxMessageBytes}`);
      const { log, meta } = target;
      if (req.acks === -1 && broker.replication) {
        const code = broker.replication.checkEnoughReplicas(topic, pd.index);
        if (code) return fail(code);
      }
      const res = log.append(pd.records, meta.leaderEpoch);
      ctx.meters?.appended(td.name, pd.index, pd.records.length, res.lastOffset - res.baseOffset + 1);
      if (broker.config.fsync) log.flush();
      broker.notifyAppend(td.name, pd.index);
      const out: PartitionOut = {
        index: pd.index,
        errorCode: ErrorCode.NONE,
        baseOffset: res.baseOffset,
        logAppendTimeMs: res.logAppendTime,
        logStartOffset: res.logStartOffset,
      };
      if (req.acks === -1 && broker.replication) {
        pending.push(
          broker.replication.waitForCommit(topic, pd.index, res.lastOffset + 1, req.timeoutMs).then((code) => {
            if (code) Object.assign(out, { errorCode: code, baseOffset: -1 });
          }),
        );
      }
      return out;
    }),
  }));
  await Promise.all(pending);
  if (req.acks === 0) return null;
  const nodeEndpoints = [...leaders]
    .map((id) => ({ id, ep: broker.quorum?.endpoint(id) }))
    .filter((x) => x.ep)
    .map(({ id, ep }) => ({ nodeId: id, host: ep!.host, port: ep!.port, rack: null }));
  return { responses, throttleTimeMs: 0, nodeEndpoints };
});
