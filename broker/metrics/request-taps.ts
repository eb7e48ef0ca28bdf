// Reads a finished request and its response for the metrics, at the dispatch layer, so the API
// handlers need no metrics code beyond the one line that counts appended bytes in Produce.
// Produce and Fetch feed the per-partition meters (TotalProduce/FetchRequestsPerSec,
// Failed*RequestsPerSec, BytesOutPerSec, ReplicationBytesOutPerSec); every other API only
// feeds ErrorsPerSec, by collecting each `errorCode` of its response as Kafka's errorCounts() does.
// The work is per partition in the response, never per record, and allocates nothing.
// Deviations from Kafka: acks=0 produces have no response, so their errors are not counted;
// fetches of the metadata quorum (__cluster_metadata) count as FetchFollower requests but not as
// replication bytes (Kafka serves them on the controller listener, outside BrokerTopicMetrics).

import { Fetch } from '../protocol/messages/fetch.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { recordBytes } from '../protocol/record-batch.ts';
import type { ApiSchema, RequestOf, ResponseOf } from '../protocol/schema.ts';
import type { ErrorCounts, NodeMeters, RequestMeters } from './meters.ts';

export interface RequestTap<A extends ApiSchema = ApiSchema> {
  /** The `request` label; Kafka splits Fetch into FetchConsumer and FetchFollower. */
  name(req: RequestOf<A>): string;
  observe(
    meters: NodeMeters,
    api: RequestMeters,
    req: RequestOf<A>,
    res: ResponseOf<A> | null,
    names: TopicNames,
  ): void;
}

/** Topic names of topic ids (Fetch v13+ names topics by id only): the metadata store. */
export interface TopicNames {
  topicById(topicId: string): { name: string } | undefined;
}

const produceTap: RequestTap<typeof Produce> = {
  name: () => Produce.name,
  observe(meters, api, req, res) {
    if (!res) {
      // acks=0: no response, so the partitions of the request, without their errors
      for (const td of req.topicData) {
        for (const pd of td.partitionData) {
          const m = meters.partition(td.name, pd.index);
          if (m) m.produceRequests++;
        }
      }
      return;
    }
    for (const t of res.responses) {
      for (const p of t.partitionResponses) {
        api.errors.add(p.errorCode);
        const m = meters.partition(t.name, p.index);
        if (!m) continue;
        m.produceRequests++;
        if (p.errorCode !== 0) m.failedProduce.add(p.errorCode);
      }
    }
  },
};

const isFollower = (req: RequestOf<typeof Fetch>) => Math.max(req.replicaId, req.replicaState?.replicaId ?? -1) >= 0;

const fetchTap: RequestTap<typeof Fetch> = {
  name: (req) => (isFollower(req) ? 'FetchFollower' : 'FetchConsumer'),
  observe(meters, api, req, res, names) {
    if (!res) return;
    const follower = isFollower(req);
    api.errors.add(res.errorCode ?? 0);
    for (const t of res.responses) {
      const topic = t.topic || names.topicById(t.topicId ?? '')?.name;
      for (const p of t.partitions) {
        api.errors.add(p.errorCode);
        const m = topic ? meters.partition(topic, p.partitionIndex) : undefined;
        if (!m) continue;
        m.fetchRequests++;
        if (p.errorCode !== 0) {
          m.failedFetch.add(p.errorCode);
          continue;
        }
        const bytes = recordBytes(p.records);
        if (follower) meters.replicationBytesOut += bytes;
        else m.bytesOut += bytes;
      }
    }
  },
};

const taps = new Map<number, RequestTap>([
  [Produce.key, produceTap],
  [Fetch.key, fetchTap],
]);

export function tapOf(apiKey: number): RequestTap | undefined {
  return taps.get(apiKey);
}

/** Reads a response for the metrics; a fault here never fails the request it measures. */
export function observeResponse(meters: NodeMeters, api: RequestMeters, tap: RequestTap | undefined, req: RequestOf<ApiSchema>, res: ResponseOf<ApiSchema> | null, names: TopicNames): void {
  try {
    if (tap) tap.observe(meters, api, req, res, names);
    else countErrors(api.errors, res);
  } catch {
    // counting is best effort; the response goes out regardless
  }
}

/** ErrorsPerSec for APIs without a tap: every `errorCode` field anywhere in the response. */
export function countErrors(errors: ErrorCounts, body: unknown, depth = 0): void {
  if (body === null || typeof body !== 'object' || depth > 6 || Buffer.isBuffer(body)) return;
  if (Array.isArray(body)) {
    for (const x of body) countErrors(errors, x, depth + 1);
    return;
  }
  const o = body as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (k === 'errorCode' && typeof v === 'number') errors.add(v);
    else if (v !== null && typeof v === 'object') countErrors(errors, v, depth + 1);
  }
}
