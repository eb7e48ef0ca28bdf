// The metadata quorum over our own Kafka protocol: Vote (52), BeginQuorumEpoch (53),
// EndQuorumEpoch (54), Fetch (1, v16, replicaState.replicaId = follower id, topic
// __cluster_metadata with Kafka's fixed topic id 0...01) and FetchSnapshot (59). Entries travel as
// v2 record batches, one per entry (baseOffset = entry offset, partitionLeaderEpoch = entry
// epoch), each holding one record whose value is the JSON record.
// Inbound requests pass Kafka's checks before they touch the Raft state: a cluster id other than
// ours is INCONSISTENT_CLUSTER_ID (a null one is accepted, as Kafka does), a partition other than
// __cluster_metadata-0 is UNKNOWN_TOPIC_OR_PARTITION, and a Vote's candidate or an epoch's leader
// outside the voter set is INCONSISTENT_VOTER_SET (without them one stray request could raise the
// epoch to the int32 limit, after which no election can ever succeed; the node fuzzer found it).
// Deviation from Kafka: a FetchSnapshot answer carries the whole snapshot as JSON bytes in
// unalignedRecords (Kafka sends record batches in chunks by position).

import { ErrorCode } from '../protocol/errors.ts';
import { BeginQuorumEpoch } from '../protocol/messages/begin-quorum-epoch.ts';
import { EndQuorumEpoch } from '../protocol/messages/end-quorum-epoch.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { FetchSnapshot } from '../protocol/messages/fetch-snapshot.ts';
import { Vote } from '../protocol/messages/vote.ts';
import { batchInfo, buildBatch, decodeRecords } from '../protocol/record-batch.ts';
import type { RequestOf, ResponseOf } from '../protocol/schema.ts';
import type { Peers } from './peers.ts';
import type { FetchReq, FetchRes, RaftNode, RaftTransport, VoteReq, VoteRes } from './raft.ts';
import type { RaftEntry, Snapshot } from './raft-store.ts';

export const METADATA_TOPIC = '__cluster_metadata';
export const METADATA_TOPIC_ID = '00000000000000000000000000000001';
const FETCH_VERSION = 16;

export function encodeEntries(entries: RaftEntry[]): Buffer[] {
  return entries.map((e) =>
    buildBatch([{ value: JSON.stringify(e.record) }], { baseOffset: e.offset, leaderEpoch: e.epoch }),
  );
}

export function decodeEntries(buf: Buffer | null): RaftEntry[] {
  const out: RaftEntry[] = [];
  if (!buf) return out;
  let pos = 0;
  while (pos + 12 <= buf.length) {
    const info = batchInfo(buf, pos);
    if (pos + info.size > buf.length) break;
    for (const r of decodeRecords(buf, info))
      out.push({ offset: r.offset, epoch: info.leaderEpoch, record: JSON.parse(r.value!.toString()) });
    pos += info.size;
  }
  return out;
}

const fetchErrorCode = {
  none: ErrorCode.NONE,
  fenced: ErrorCode.FENCED_LEADER_EPOCH,
  not_leader: ErrorCode.NOT_LEADER_OR_FOLLOWER,
  unknown_epoch: ErrorCode.UNKNOWN_LEADER_EPOCH,
};

export class KafkaRaftTransport implements RaftTransport {
  constructor(
    private readonly peers: Peers,
    private readonly clusterId: string,
  ) {}

  async vote(to: number, req: VoteReq): Promise<VoteRes> {
    const res = await this.peers.request(
      to,
      'raft',
      Vote,
      0,
      {
        clusterId: this.clusterId,
        topics: [
          {
            topicName: METADATA_TOPIC,
            partitions: [
              {
                partitionIndex: 0,
                candidateEpoch: req.epoch,
                candidateId: req.candidateId,
                lastOffsetEpoch: req.lastEpoch,
                lastOffset: req.lastOffset,
              },
            ],
          },
        ],
      },
      1000,
    );
    const p = res.topics[0]?.partitions[0];
    if (!p) throw new Error(`vote: error ${res.errorCode}`);
    return { granted: p.voteGranted, epoch: p.leaderEpoch, leaderId: p.leaderId };
  }

  async beginEpoch(to: number, epoch: number, leaderId: number): Promise<void> {
    await this.peers.request(
      to,
      'raft',
      BeginQuorumEpoch,
      0,
      {
        clusterId: this.clusterId,
        topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0, leaderId, leaderEpoch: epoch }] }],
      },
      1000,
    );
  }

  async endEpoch(to: number, epoch: number, leaderId: number, successors: number[]): Promise<void> {
    await this.peers.request(
      to,
      'raft',
      EndQuorumEpoch,
      0,
      {
        clusterId: this.clusterId,
        topics: [
          {
            topicName: METADATA_TOPIC,
            partitions: [{ partitionIndex: 0, leaderId, leaderEpoch: epoch, preferredSuccessors: successors }],
          },
        ],
      },
      1000,
    );
  }

  async fetch(to: number, req: FetchReq): Promise<FetchRes> {
    const res = await this.peers.request(
      to,
      'raft-fetch',
      Fetch,
      FETCH_VERSION,
      {
        clusterId: this.clusterId,
        replicaState: { replicaId: req.replicaId, replicaEpoch: -1 },
        maxWaitMs: req.maxWaitMs,
        minBytes: 1,
        maxBytes: 8 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topicId: METADATA_TOPIC_ID,
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: req.epoch,
                fetchOffset: req.fetchOffset,
                lastFetchedEpoch: req.lastFetchedEpoch,
                logStartOffset: -1,
                partitionMaxBytes: 8 << 20,
              },
            ],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      },
      req.maxWaitMs + 2000,
    );
    const p = res.responses[0]?.partitions[0];
    if (!p) throw new Error(`metadata fetch: error ${res.errorCode}`);
    const error = (Object.entries(fetchErrorCode).find(([, c]) => c === p.errorCode)?.[0] ??
      'not_leader') as FetchRes['error'];
    const out: FetchRes = {
      error,
      leaderId: p.currentLeader?.leaderId ?? -1,
      epoch: p.currentLeader?.leaderEpoch ?? -1,
      hw: Number(p.highWatermark),
      entries: decodeEntries(p.records as Buffer | null),
    };
    if (p.divergingEpoch && p.divergingEpoch.epoch >= 0)
      out.diverging = { epoch: p.divergingEpoch.epoch, endOffset: Number(p.divergingEpoch.endOffset) };
    if (p.snapshotId && p.snapshotId.endOffset >= 0)
      out.snapshotId = { endOffset: Number(p.snapshotId.endOffset), epoch: p.snapshotId.epoch };
    return out;
  }

  async fetchSnapshot(to: number, epoch: number, replicaId: number): Promise<Snapshot | null> {
    const res = await this.peers.request(
      to,
      'raft-fetch',
      FetchSnapshot,
      0,
      {
        clusterId: this.clusterId,
        replicaId,
        maxBytes: 0x7fffffff,
        topics: [
          {
            name: METADATA_TOPIC,
            partitions: [
              { partition: 0, currentLeaderEpoch: epoch, snapshotId: { endOffset: -1, epoch: -1 }, position: 0 },
            ],
          },
        ],
      },
      5000,
    );
    const p = res.topics[0]?.partitions[0];
    if (!p || p.errorCode !== ErrorCode.NONE || !p.unalignedRecords) return null;
    return JSON.parse((p.unalignedRecords as Buffer).toString()) as Snapshot;
  }
}

// ------------------------------------------------------------------ inbound (api handlers)

/** The checks Kafka's KafkaRaftClient makes before a quorum request may touch the Raft state. */
function quorumRequestError(
  clusterId: string,
  req: { clusterId?: string | null },
  topic: string | undefined,
  partition: number | undefined,
): number {
  if (req.clusterId != null && req.clusterId !== clusterId) return ErrorCode.INCONSISTENT_CLUSTER_ID;
  if (topic !== METADATA_TOPIC || partition !== 0) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  return ErrorCode.NONE;
}

export async function serveRaftFetch(
  raft: RaftNode,
  clusterId: string,
  req: RequestOf<typeof Fetch>,
  apiVersion: number,
): Promise<ResponseOf<typeof Fetch>> {
  const rt = req.topics[0];
  const rp = rt.partitions[0];
  if (req.clusterId != null && req.clusterId !== clusterId)
    return { throttleTimeMs: 0, errorCode: ErrorCode.INCONSISTENT_CLUSTER_ID, sessionId: 0, responses: [] };
  if (rt.partitions.length !== 1 || rp.partition !== 0)
    return { throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, sessionId: 0, responses: [] };
  const replicaId = apiVersion >= 15 ? (req.replicaState?.replicaId ?? -1) : req.replicaId;
  const res = await raft.handleFetch({
    replicaId,
    epoch: rp.currentLeaderEpoch,
    fetchOffset: Number(rp.fetchOffset),
    lastFetchedEpoch: rp.lastFetchedEpoch,
    maxWaitMs: Math.min(req.maxWaitMs, 5000),
  });
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    sessionId: 0,
    responses: [
      {
        topic: rt.topic,
        topicId: rt.topicId,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: fetchErrorCode[res.error],
            highWatermark: res.hw,
            lastStableOffset: res.hw,
            logStartOffset: raft.store.startOffset,
            divergingEpoch: res.diverging
              ? { epoch: res.diverging.epoch, endOffset: res.diverging.endOffset }
              : undefined,
            currentLeader: { leaderId: res.leaderId, leaderEpoch: res.epoch },
            snapshotId: res.snapshotId,
            abortedTransactions: null,
            records: encodeEntries(res.entries),
          },
        ],
      },
    ],
  };
}

export function isRaftFetch(req: RequestOf<typeof Fetch>): boolean {
  const t = req.topics[0];
  return req.topics.length === 1 && (t.topicId === METADATA_TOPIC_ID || t.topic === METADATA_TOPIC);
}

export function serveVote(raft: RaftNode, clusterId: string, req: RequestOf<typeof Vote>): ResponseOf<typeof Vote> {
  const p = req.topics[0]?.partitions[0];
  if (!p) return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  const bad = quorumRequestError(clusterId, req, req.topics[0].topicName, p.partitionIndex);
  if (bad) return { errorCode: bad, topics: [] };
  const outsider = !raft.voters.includes(p.candidateId);
  const r = outsider
    ? { granted: false, epoch: raft.epoch, leaderId: raft.leaderId }
    : raft.handleVote({
        candidateId: p.candidateId,
        epoch: p.candidateEpoch,
        lastEpoch: p.lastOffsetEpoch,
        lastOffset: Number(p.lastOffset),
      });
  return {
    errorCode: ErrorCode.NONE,
    topics: [
      {
        topicName: METADATA_TOPIC,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: outsider ? ErrorCode.INCONSISTENT_VOTER_SET : ErrorCode.NONE,
            leaderId: r.leaderId,
            leaderEpoch: r.epoch,
            voteGranted: r.granted,
          },
        ],
      },
    ],
  };
}

export function serveBeginEpoch(
  raft: RaftNode,
  clusterId: string,
  req: RequestOf<typeof BeginQuorumEpoch>,
): ResponseOf<typeof BeginQuorumEpoch> {
  const p = req.topics[0]?.partitions[0];
  if (!p) return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  const bad = quorumRequestError(clusterId, req, req.topics[0].topicName, p.partitionIndex);
  if (bad) return { errorCode: bad, topics: [] };
  const outsider = !raft.voters.includes(p.leaderId);
  const r = outsider
    ? { epoch: raft.epoch, leaderId: raft.leaderId }
    : raft.handleBeginEpoch(p.leaderEpoch, p.leaderId);
  const errorCode = outsider
    ? ErrorCode.INCONSISTENT_VOTER_SET
    : r.epoch > p.leaderEpoch
      ? ErrorCode.FENCED_LEADER_EPOCH
      : ErrorCode.NONE;
  return {
    errorCode: 0,
    topics: [
      {
        topicName: METADATA_TOPIC,
        partitions: [{ partitionIndex: 0, errorCode, leaderId: r.leaderId, leaderEpoch: r.epoch }],
      },
    ],
  };
}

export function serveEndEpoch(
  raft: RaftNode,
  clusterId: string,
  req: RequestOf<typeof EndQuorumEpoch>,
): ResponseOf<typeof EndQuorumEpoch> {
  const p = req.topics[0]?.partitions[0];
  if (!p) return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
  const bad = quorumRequestError(clusterId, req, req.topics[0].topicName, p.partitionIndex);
  if (bad) return { errorCode: bad, topics: [] };
  const outsider = !raft.voters.includes(p.leaderId);
  const successors =
    p.preferredSuccessors ?? (p.preferredCandidates ?? []).map((c: { candidateId: number }) => c.candidateId);
  if (!outsider) raft.handleEndEpoch(p.leaderEpoch, p.leaderId, successors);
  return {
    errorCode: 0,
    topics: [
      {
        topicName: METADATA_TOPIC,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: outsider ? ErrorCode.INCONSISTENT_VOTER_SET : ErrorCode.NONE,
            leaderId: raft.leaderId,
            leaderEpoch: raft.epoch,
          },
        ],
      },
    ],
  };
}

export function serveFetchSnapshot(
  raft: RaftNode,
  clusterId: string,
  req: RequestOf<typeof FetchSnapshot>,
): ResponseOf<typeof FetchSnapshot> {
  const p = req.topics[0]?.partitions[0];
  const bad = p ? quorumRequestError(clusterId, req, req.topics[0].name, p.partition) : ErrorCode.INVALID_REQUEST;
  if (bad) return { throttleTimeMs: 0, errorCode: bad, topics: [] };
  const snap = p && raft.handleFetchSnapshot(p.currentLeaderEpoch);
  const bytes = snap ? Buffer.from(JSON.stringify(snap)) : null;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    topics: [
      {
        name: METADATA_TOPIC,
        partitions: [
          {
            index: 0,
            errorCode: snap
              ? ErrorCode.NONE
              : raft.isLeader
                ? ErrorCode.FENCED_LEADER_EPOCH
                : ErrorCode.NOT_LEADER_OR_FOLLOWER,
            snapshotId: { endOffset: snap?.endOffset ?? -1, epoch: snap?.epoch ?? -1 },
            currentLeader: { leaderId: raft.leaderId, leaderEpoch: raft.epoch },
            size: bytes?.length ?? 0,
            position: 0,
            unalignedRecords: bytes ?? Buffer.alloc(0),
          },
        ],
      },
    ],
  };
}
