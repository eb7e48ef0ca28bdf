// Fetch (key 1), versions 4-17 (kafka-python always sends 4; older versions carry message
// formats v0/v1, which this broker does not serve).
// Behaviour: whole batches from the one containing fetchOffset (clients skip earlier records),
// up to the high watermark (read_uncommitted) or last stable offset (read_committed, with the
// aborted transactions that overlap the returned batches and end at or after fetchOffset, from
// the `.txnindex`: partition/partition.ts); the first
// partition with data is returned even if larger than maxBytes (KIP-74). With less than minBytes
// available the request waits up to maxWaitMs (long polling): each append to one of its
// partitions reads on from where that partition stopped, until minBytes are there (Kafka's
// DelayedFetch); a partition that changes leader meanwhile answers at once. An offset outside
// [logStartOffset, logEndOffset] is OFFSET_OUT_OF_RANGE. A partition with an error gets empty
// records (length 0), never null, as Kafka.
// Incremental fetch sessions (KIP-227, v7+; fetch-sessions.ts): a fetch in a session is read as
// the full list of the session's partitions and answered with only the partitions that changed.
// Memory: the records are read into pooled memory (log/read-buffers.ts) that the response
// holds until the connection has written it (afterWrite), then lends to the next fetches.
// Deviations: preferred read replicas are not used;
// OFFSET_OUT_OF_RANGE carries the partition's high watermark and log start offset (Kafka sends
// -1 for both; followers here use the log start offset to skip ListOffsets).
// Replication: a fetch with replicaId >= 0 (replicaState.replicaId from v15) is a follower's:
// it reads up to the log end (not the HW) and reports the follower's log end offset and log
// start offset to the partition, which moves the HW. On the controller listener, Fetch is the
// metadata quorum's and only reads __cluster_metadata (metadata/raft-transport.ts; any other
// topic gets INVALID_REQUEST, as Kafka); on the broker listener __cluster_metadata is no topic. currentLeaderEpoch older/newer than the leader's gets
// FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH; a non-leader answers NOT_LEADER_OR_FOLLOWER with
// currentLeader (v12+) and the leader's endpoint in nodeEndpoints (v16+, KIP-951).
// Authorization (--acls), as Kafka: a consumer needs READ on each topic, a follower
// CLUSTER_ACTION on the cluster; otherwise TOPIC_AUTHORIZATION_FAILED per partition.

import type { Broker } from '../broker.ts';
import { ReadArena } from '../log/read-buffers.ts';
import { isRaftFetch, serveRaftFetch } from '../metadata/raft-transport.ts';
import type { Partition } from '../partition/partition.ts';
import { waitForChange } from '../partition/partitions.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { nextOffsetAfter } from '../protocol/record-batch.ts';
import type { RequestOf, ResponseOf } from '../protocol/schema.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, clusterAllowed } from '../security/request-authorizer.ts';
import { FetchSessions, type SessionUse } from './fetch-sessions.ts';
import { defineHandler } from './types.ts';

type Req = RequestOf<typeof Fetch>;
type Res = ResponseOf<typeof Fetch>;
type PartitionOut = Res['responses'][number]['partitions'][number];

/** A partition being read for one request: its answer so far and where the next read starts. */
interface Reading {
  partition: Partition;
  /** The leader epoch it was read in: a change while waiting means answering afresh. */
  epoch: number;
  out: PartitionOut & { records: Buffer[] };
  next: number;
  maxBytes: number;
}

/** Each node's fetch sessions. */
const sessionsOf = new WeakMap<Broker, FetchSessions>();

export default defineHandler(Fetch, '4-17', async (asked, ctx) => {
  const { broker, apiVersion } = ctx;
  if (ctx.listener === 'controller') {
    if (broker.quorum && isRaftFetch(asked)) return serveRaftFetch(broker.quorum.raft, broker.quorum.clusterId, asked, apiVersion);
    // As Kafka's KafkaRaftClient: the controller listener serves the metadata log only.
    return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, sessionId: 0, responses: [] };
  }
  const replicaId = apiVersion >= 15 ? (asked.replicaState?.replicaId ?? -1) : asked.replicaId;
  let sessions = sessionsOf.get(broker);
  if (!sessions) sessionsOf.set(broker, (sessions = new FetchSessions()));
  const use: SessionUse = apiVersion >= 7 ? sessions.use(asked, apiVersion >= 13, replicaId >= 0) : { kind: 'none' };
  if (use.kind === 'error') return { throttleTimeMs: 0, errorCode: use.errorCode, sessionId: 0, responses: [] };
  // In a session: every partition of the session, from the offsets it keeps.
  const req = use.kind === 'session' ? { ...asked, topics: use.session.requestTopics() } : asked;
  const answer = (body: Res): Res =>
    use.kind === 'session'
      ? { ...body, sessionId: use.session.id, responses: use.session.answer(body.responses, use.full) }
      : body;
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  // Followers need CLUSTER_ACTION, consumers READ on each topic (TOPIC_AUTHORIZATION_FAILED).
  const follower = replicaId >= 0 && clusterAllowed(ctx, AclOperation.CLUSTER_ACTION);
  const mayRead = (topic: string) => follower || (replicaId < 0 && allowed(ctx, AclOperation.READ, ResourceType.TOPIC, topic));
  // The records are read into pooled memory, lent until the response is written.
  const arena = new ReadArena();
  ctx.afterWrite = () => arena.release();
  const { body, readings, errors } = firstRead(broker, req, apiVersion >= 13, replicaId, mayRead, arena);
  const isolation = isolationOf(req, replicaId);
  let bytes = readings.reduce((n, r) => n + r.out.records.reduce((m, c) => m + c.length, 0), 0);
  // Long polling: wait for appends until minBytes are there, maxWaitMs passes or a partition
  // changes role; then read on from where each partition stopped (nothing is read twice).
  while (bytes < req.minBytes && !errors && readings.length > 0) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const changed = await waitForChange(
      readings.map((r) => r.partition),
      remaining,
    );
    if (!changed) break; // max wait passed with nothing new: what was read is the answer
    for (const r of readings) {
      if (r.partition.role !== 'leader' || r.partition.leaderEpoch !== r.epoch) {
        // Leadership moved while waiting: answer afresh, with the new errors.
        return answer(firstRead(broker, req, apiVersion >= 13, replicaId, mayRead, arena).body);
      }
      bytes += readOn(r, bytes === 0 ? Infinity : req.maxBytes - bytes, isolation, arena);
    }
  }
  return answer(body);
});

function isolationOf(req: Req, replicaId: number) {
  return replicaId >= 0 ? 'log-end' : req.isolationLevel === 1 ? 'committed' : 'high-watermark';
}

/** Reads on from where the partition stopped, within its and the request's budget; returns the bytes added. */
function readOn(r: Reading, budget: number, isolation: ReturnType<typeof isolationOf>, arena: ReadArena): number {
  const have = r.out.records.reduce((n, c) => n + c.length, 0);
  const limit = have === 0 && budget === Infinity ? Math.max(r.maxBytes, 1) : Math.min(r.maxBytes - have, budget);
  const read = r.partition.read(r.next, limit, isolation, arena);
  r.out.highWatermark = read.highWatermark;
  r.out.lastStableOffset = read.lastStableOffset;
  r.out.logStartOffset = read.logStartOffset;
  if (read.errorCode !== ErrorCode.NONE || read.bytes === 0) return 0;
  r.out.records = [...r.out.records, ...read.records];
  if (read.abortedTransactions?.length) {
    const had = r.out.abortedTransactions ?? [];
    const fresh = read.abortedTransactions.filter((t) => !had.some((h) => h.producerId === t.producerId && h.firstOffset === t.firstOffset));
    r.out.abortedTransactions = [...had, ...fresh];
  }
  const last = read.records[read.records.length - 1];
  r.next = nextOffsetAfter(last);
  return read.bytes;
}

function firstRead(broker: Broker, req: Req, byId: boolean, replicaId: number, mayRead: (topic: string) => boolean, arena: ReadArena) {
  let budget = req.maxBytes;
  let bytes = 0;
  let errors = false;
  const readings: Reading[] = [];
  const leaders = new Set<number>();
  const isolation = isolationOf(req, replicaId);
  const responses = req.topics.map((rt) => {
    const meta = byId ? broker.metadata.topicById(rt.topicId) : broker.metadata.topic(rt.topic);
    const partitions = rt.partitions.map((rp): PartitionOut => {
      const fail = (errorCode: number, hw = -1, lso = -1): PartitionOut => {
        errors = true;
        return {
          partitionIndex: rp.partition,
          errorCode,
          highWatermark: hw,
          lastStableOffset: lso,
          logStartOffset: -1,
          abortedTransactions: null,
          records: [], // never null: librdkafka rejects the whole response on a -1 MessageSetSize
        };
      };
      if (!meta) return fail(byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!mayRead(meta.name)) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const target = broker.leaderPartition({ topic: meta.name, partition: rp.partition });
      if ('errorCode' in target) {
        const pm = target.meta;
        if (!pm || pm.leader < 0) return fail(target.errorCode);
        leaders.add(pm.leader);
        return { ...fail(target.errorCode), currentLeader: { leaderId: pm.leader, leaderEpoch: pm.leaderEpoch } };
      }
      if (rp.currentLeaderEpoch >= 0 && rp.currentLeaderEpoch !== target.leaderEpoch)
        return fail(rp.currentLeaderEpoch < target.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH);
      const fetchOffset = rp.fetchOffset;
      if (replicaId >= 0) target.onFollowerFetch(replicaId, fetchOffset, rp.logStartOffset);
      const limit = bytes === 0 ? Math.max(rp.partitionMaxBytes, 1) : Math.min(rp.partitionMaxBytes, budget);
      const read = target.read(fetchOffset, limit, isolation, arena);
      if (read.errorCode !== ErrorCode.NONE)
        return { ...fail(read.errorCode, read.highWatermark, read.lastStableOffset), logStartOffset: read.logStartOffset };
      bytes += read.bytes;
      budget -= read.bytes;
      const out = {
        partitionIndex: rp.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: read.highWatermark,
        lastStableOffset: read.lastStableOffset,
        logStartOffset: read.logStartOffset,
        abortedTransactions: req.isolationLevel === 1 ? read.abortedTransactions : null,
        records: read.records,
      };
      const next = read.bytes ? nextOffsetAfter(read.records[read.records.length - 1]) : fetchOffset;
      readings.push({ partition: target, epoch: target.leaderEpoch, out, next, maxBytes: rp.partitionMaxBytes });
      return out;
    });
    return { topic: rt.topic, topicId: rt.topicId, partitions };
  });
  const nodeEndpoints = [...leaders]
    .map((id) => ({ id, ep: broker.quorum?.endpoint(id) }))
    .filter((x) => x.ep)
    .map(({ id, ep }) => ({ nodeId: id, host: ep!.host, port: ep!.port, rack: null }));
  const body: Res = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses, nodeEndpoints };
  return { body, readings, errors };
}
