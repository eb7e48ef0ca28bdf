// Fetch (key 1), versions 4-17 (kafka-python always sends 4; older versions carry message
// formats v0/v1, which this broker does not serve).
// Behaviour: whole batches from the one containing fetchOffset (clients skip earlier records),
// up to the high watermark (read_uncommitted) or last stable offset (read_committed); the first
// partition with data is returned even if larger than maxBytes (KIP-74). With less than minBytes
// available the request waits up to maxWaitMs for an append (long polling). An offset outside
// [logStartOffset, logEndOffset] is OFFSET_OUT_OF_RANGE.
// Deviations: incremental fetch sessions are not created (sessionId 0 is always returned, which
// the protocol allows, so clients send full fetches); preferred read replicas are not used.

import type { Broker } from '../broker.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import type { RequestOf, ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

type Req = RequestOf<typeof Fetch>;
type Res = ResponseOf<typeof Fetch>;
type PartitionOut = Res['responses'][number]['partitions'][number];

export default defineHandler(Fetch, '4-17', async (req, ctx) => {
  const { broker, apiVersion } = ctx;
  const byId = apiVersion >= 13;
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  for (;;) {
    const { body, bytes, watched } = readOnce(broker, req, byId);
    const remaining = deadline - Date.now();
    if (bytes >= req.minBytes || remaining <= 0 || watched.length === 0 || hasError(body)) return body;
    await broker.waitForAppend(watched, remaining);
    if (Date.now() >= deadline) return readOnce(broker, req, byId).body;
  }
});

function hasError(body: Res): boolean {
  return body.responses.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE));
}

function readOnce(broker: Broker, req: Req, byId: boolean) {
  let budget = req.maxBytes;
  let bytes = 0;
  const watched: [string, number][] = [];
  const responses = req.topics.map((rt) => {
    const meta = byId ? broker.metadata.topicById(rt.topicId) : broker.metadata.topic(rt.topic);
    const partitions = rt.partitions.map((rp): PartitionOut => {
      const fail = (errorCode: number, hw = -1, lso = -1): PartitionOut => ({
        partitionIndex: rp.partition,
        errorCode,
        highWatermark: hw,
        lastStableOffset: lso,
        logStartOffset: -1,
        abortedTransactions: null,
        records: null,
      });
      if (!meta) return fail(byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const target = broker.leaderLog(meta.name, rp.partition);
      if ('errorCode' in target) return fail(target.errorCode);
      const { log } = target;
      const hw = broker.highWatermark(log);
      if (rp.fetchOffset < log.logStartOffset || rp.fetchOffset > log.logEndOffset)
        return { ...fail(ErrorCode.OFFSET_OUT_OF_RANGE, hw, hw), logStartOffset: log.logStartOffset };
      let records: Buffer[] | null = null;
      if (rp.fetchOffset < hw && (budget > 0 || bytes === 0)) {
        const limit = bytes === 0 ? Math.max(rp.partitionMaxBytes, 1) : Math.min(rp.partitionMaxBytes, budget);
        const read = log.read(rp.fetchOffset, limit, hw);
        records = read.chunks;
        bytes += read.bytes;
        budget -= read.bytes;
      }
      if (!records || records.length === 0) watched.push([meta.name, rp.partition]);
      return {
        partitionIndex: rp.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: hw,
        lastStableOffset: hw,
        logStartOffset: log.logStartOffset,
        abortedTransactions: req.isolationLevel === 1 ? [] : null,
        records: records ?? [],
      };
    });
    return { topic: rt.topic, topicId: rt.topicId, partitions };
  });
  const body: Res = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses };
  return { body, bytes, watched };
}
