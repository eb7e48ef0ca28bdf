// What a node counts on its hot path: plain numbers in objects created once per topic
// partition and per request type, found by a Map lookup and an array index, so counting a
// request or a produced batch allocates nothing and does no per-record work. Nothing here knows
// about Prometheus: exposition.ts reads these fields when /metrics is scraped.
// Deviations from Kafka, named in docs/metrics.md: topic metrics are kept per partition (Kafka's
// BrokerTopicMetrics are per topic); failed produce/fetch requests count every partition error
// code (Kafka counts only unexpected errors there and reports codes in ErrorsPerSec).

import { ErrorCode } from '../protocol/errors.ts';
import { Histogram, LATENCY_BUCKETS_MS } from './histogram.ts';

const ERROR_NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
/** Array slots for the codes -1 (UNKNOWN_SERVER_ERROR) up to the largest known one. */
const ERROR_SLOTS = Math.max(...Object.values(ErrorCode)) + 2;

/** Counts by error code: an array slot per known code (no Map work per response), a Map for others. */
export class ErrorCounts {
  private readonly slots = new Float64Array(ERROR_SLOTS);
  private other: Map<number, number> | undefined;

  add(code: number, n = 1): void {
    const i = code + 1;
    if (i >= 0 && i < ERROR_SLOTS) this.slots[i] += n;
    else (this.other ??= new Map()).set(code, (this.other.get(code) ?? 0) + n);
  }

  get(code: number): number {
    const i = code + 1;
    return i >= 0 && i < ERROR_SLOTS ? this.slots[i] : (this.other?.get(code) ?? 0);
  }

  /** [code, count] of every code counted at least once. */
  *entries(): Iterable<[number, number]> {
    for (let i = 0; i < ERROR_SLOTS; i++) if (this.slots[i] > 0) yield [i - 1, this.slots[i]];
    if (this.other) yield* this.other;
  }
}

/** Kafka's name of an error code (the `error` label of ErrorsPerSec); unknown codes as numbers. */
export function errorName(code: number): string {
  return ERROR_NAMES.get(code) ?? `UNKNOWN_ERROR_${code}`;
}

/** Per topic partition, on the node serving the requests (the leader, for produce and fetch). */
export class PartitionMeters {
  /** BytesInPerSec: produced batch bytes appended as leader (replication excluded). */
  bytesIn = 0;
  /** MessagesInPerSec: records appended as leader. */
  messagesIn = 0;
  /** BytesOutPerSec: record bytes returned to consumers (follower fetches excluded). */
  bytesOut = 0;
  /** TotalProduceRequestsPerSec / TotalFetchRequestsPerSec: partitions named in requests. */
  produceRequests = 0;
  fetchRequests = 0;
  /** Failed{Produce,Fetch}RequestsPerSec by error code. */
  readonly failedProduce = new ErrorCounts();
  readonly failedFetch = new ErrorCounts();
}

/** Per request type (Kafka's RequestMetrics `request` label: API name, Fetch split in two). */
export class RequestMeters {
  /** RequestsPerSec by API version. */
  readonly requests: number[];
  /** Request and response frame sizes, size prefix included. */
  requestBytes = 0;
  responseBytes = 0;
  /** TotalTimeMs: frame received to response written to the socket. */
  readonly totalTimeMs = new Histogram(LATENCY_BUCKETS_MS);

  constructor(
    readonly name: string,
    /** The `request` label ErrorsPerSec uses (Kafka counts Fetch errors under "Fetch"). */
    readonly errorsName: string,
    readonly errors: ErrorCounts,
    maxVersion: number,
  ) {
    this.requests = new Array<number>(maxVersion + 1).fill(0);
  }
}

export class NodeMeters {
  /** ReplicationBytesOutPerSec: record bytes returned to follower fetches. */
  replicationBytesOut = 0;
  connectionsCreated = 0;
  connectionsClosed = 0;
  /** SASL re-authentications (KIP-368) completed and refused; connections closed for an expired session. */
  successfulReauthentications = 0;
  failedReauthentications = 0;
  expiredConnectionsKilled = 0;
  private readonly topics = new Map<string, (PartitionMeters | undefined)[]>();
  private readonly requestMeters = new Map<string, RequestMeters>();
  private readonly errorMaps = new Map<string, ErrorCounts>();

  /** `exists` bounds the label sets to real partitions: unknown topic names are not kept. */
  constructor(private readonly exists: (topic: string, partition: number) => boolean) {}

  partition(topic: string, partition: number): PartitionMeters | undefined {
    let parts = this.topics.get(topic);
    const m = parts?.[partition];
    if (m) return m;
    if (!this.exists(topic, partition)) return undefined;
    if (!parts) this.topics.set(topic, (parts = []));
    return (parts[partition] = new PartitionMeters());
  }

  /** A leader appended a produced payload of `bytes` holding `messages` records. */
  appended(topic: string, partition: number, bytes: number, messages: number): void {
    const m = this.partition(topic, partition);
    if (!m) return;
    m.bytesIn += bytes;
    m.messagesIn += messages;
  }

  /** The meters of a request type, created on its first request. */
  request(name: string, errorsName: string, maxVersion: number): RequestMeters {
    let m = this.requestMeters.get(name);
    if (!m) {
      let errors = this.errorMaps.get(errorsName);
      if (!errors) this.errorMaps.set(errorsName, (errors = new ErrorCounts()));
      this.requestMeters.set(name, (m = new RequestMeters(name, errorsName, errors, maxVersion)));
    }
    return m;
  }

  get requestTypes(): Iterable<RequestMeters> {
    return this.requestMeters.values();
  }

  /** ErrorsPerSec: request label -> error code -> count. */
  get errors(): ReadonlyMap<string, ErrorCounts> {
    return this.errorMaps;
  }

  /** Meters of partitions still present; those of deleted topics and partitions are dropped. */
  *partitions(): Iterable<[string, number, PartitionMeters]> {
    for (const [topic, parts] of this.topics) {
      let kept = 0;
      for (let p = 0; p < parts.length; p++) {
        const m = parts[p];
        if (!m) continue;
        if (this.exists(topic, p)) {
          kept++;
          yield [topic, p, m];
        } else parts[p] = undefined;
      }
      if (kept === 0) this.topics.delete(topic);
    }
  }
}
