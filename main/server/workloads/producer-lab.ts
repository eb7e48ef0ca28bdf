// The producer lab (contract/producer-lab.ts): one run per cluster, of one or more producers
// side by side, each a real client (@platformatic/kafka) with its own acks and compression,
// driven by the send loop the demo workloads use (pace.ts) with its batch size (in records:
// batchBytes / recordBytes) and linger. A record's value is JSON carrying the run id, the
// producer's label and its sequence number, padded with words to the record size (text
// compresses as real payloads do, unlike random bytes). Every acknowledgement is counted (one
// bit per sequence number), its bytes and latency go into the producer's current second; a
// failed send counts its records under Kafka's error name, drops the cached metadata (the
// client otherwise retries the leader it knew, dead or not) and pauses that producer 500 ms.
// With verify, the stop reads each topic back (every partition, earliest to the high watermark,
// what any consumer can read) and matches the run's sequence numbers: lost = acked − found.
// Deviations from Kafka: see the contract's header (batch.size spans partitions, the lab applies
// batch size and linger itself, acks=0 "acknowledged" = written to the socket).
import { randomBytes } from 'node:crypto';
import { Producer } from '@platformatic/kafka';
import {
  type ProducerLabStart,
  type ProducerLabStats,
  ProducerLabStartSchema,
  type ProducerPoint,
  type ProducerStats,
} from '../../contract/producer-lab.ts';
import { type ClusterConfig, toClientOptions } from '../../kafka/cluster-config.ts';
import type { KafkaConnection } from '../../kafka/connection.ts';
import { ensureTopic } from '../../kafka/ensure-topic.ts';
import { ConsoleError, toErrorBody } from '../../kafka/errors.ts';
import { pkey, readableRanges } from '../../kafka/offsets.ts';
import { readRaw } from '../../kafka/records.ts';
import { SeqBits } from '../failover-demo-ledger.ts';
import { pace } from './pace.ts';
import { RateMeter } from './rate-meter.ts';

type Settings = ProducerStats['settings'];

const RETRY_MS = 500;
/** Kafka's default max.in.flight.requests.per.connection. */
const IN_FLIGHT = 5;
const SERIES_POINTS = 600;
/** Latency samples kept for a run's percentiles (a reservoir beyond that). */
const SAMPLES = 50_000;
const PARTITIONS = 3;
/** A verify read retried while a partition has no leader (a node just died). */
const VERIFY_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The p-quantile (0..1) of ascending `xs`; null for none. */
export function quantile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const WORDS =
  'the a broker topic partition replica leader follower offset record batch commit log segment index fetch produce acks linger compression request response cluster node controller metadata consumer group lag retention order payment click user session'.split(
    ' ',
  );
/** Words, pseudo-random but fixed, that paddings are cut from. */
const PAD = (() => {
  let x = 0x9e3779b9;
  const out: string[] = [];
  let n = 0;
  while (n < 256 * 1024) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = WORDS[(x >>> 8) % WORDS.length];
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ');
})();

/** A record's value: its run, producer and sequence number, padded to `bytes` (at least the JSON without padding). */
export function labValue(runId: string, label: string, seq: number, bytes: number): Buffer {
  const bare = JSON.stringify({ lab: runId, p: label, seq, pad: '' });
  const len = Math.max(0, bytes - Buffer.byteLength(bare));
  const at = (seq * 7919) % (PAD.length - len);
  return Buffer.from(JSON.stringify({ lab: runId, p: label, seq, pad: PAD.slice(at, at + len) }));
}

/** The run, producer and sequence number of a lab value; null for anything else. */
export function parseLabValue(v: Buffer | null): { lab: string; p: string; seq: number } | null {
  if (!v) return null;
  try {
    const o: unknown = JSON.parse(v.toString('utf8'));
    if (typeof o !== 'object' || o === null) return null;
    const lab = 'lab' in o ? o.lab : null;
    const p = 'p' in o ? o.p : null;
    const seq = 'seq' in o ? o.seq : null;
    return typeof lab === 'string' && typeof p === 'string' && typeof seq === 'number' && Number.isInteger(seq)
      ? { lab, p, seq }
      : null;
  } catch {
    return null;
  }
}

interface Second {
  t: number;
  acked: number;
  bytes: number;
  latencies: number[];
}

interface LabProducer {
  settings: Settings;
  client: Producer;
  seq: number;
  sent: number;
  acked: number;
  failed: number;
  requests: number;
  ackedBytes: number;
  errors: Map<string, number>;
  ackedSeqs: SeqBits;
  bytesRate: RateMeter;
  samples: number[];
  seen: number;
  second: Second;
  series: ProducerPoint[];
  lastError: string | null;
  verify: ProducerStats['verify'];
}

interface LabRun {
  runId: string;
  clusterId: string;
  config: ClusterConfig;
  state: ProducerLabStats['state'];
  startedAt: number;
  stoppedAt: number | null;
  durationMs: number | null;
  verify: boolean;
  stopping: boolean;
  producers: LabProducer[];
  loops: Promise<void>;
  timer: NodeJS.Timeout | null;
  close: Promise<void> | null;
  lastError: string | null;
}

export interface ProducerLabDeps {
  connection(clusterId: string): KafkaConnection;
  log?: (line: string) => void;
}

const point = (s: Second): ProducerPoint => {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return {
    t: s.t,
    ackedPerSec: s.acked,
    mbPerSec: Math.round(s.bytes / 100) / 10_000,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
};

/** Closes the seconds before `now`'s, one point each (an idle second is a point of zeros). */
function roll(p: LabProducer, now: number): void {
  while (now >= p.second.t + 1000) {
    p.series.push(point(p.second));
    if (p.series.length > SERIES_POINTS) p.series.shift();
    p.second = { t: p.second.t + 1000, acked: 0, bytes: 0, latencies: [] };
  }
}

export class ProducerLab {
  readonly #runs = new Map<string, LabRun>();

  constructor(private readonly deps: ProducerLabDeps) {}

  stats(clusterId: string): ProducerLabStats {
    const r = this.#runs.get(clusterId);
    if (!r)
      return {
        state: 'idle',
        runId: null,
        startedAt: null,
        stoppedAt: null,
        durationMs: null,
        verify: false,
        producers: [],
        lastError: null,
      };
    const now = Date.now();
    const live = r.state === 'running';
    return {
      state: r.state,
      runId: r.runId,
      startedAt: r.startedAt,
      stoppedAt: r.stoppedAt,
      durationMs: r.durationMs,
      verify: r.verify,
      lastError: r.lastError,
      producers: r.producers.map((p) => {
        if (live) roll(p, now);
        const sorted = [...p.samples].sort((a, b) => a - b);
        return {
          settings: p.settings,
          sent: p.sent,
          acked: p.acked,
          failed: p.failed,
          errors: Object.fromEntries(p.errors),
          requests: p.requests,
          ackedBytes: p.ackedBytes,
          mbPerSec: live ? Math.round(p.bytesRate.perSecond(now) / 100) / 10_000 : 0,
          p50Ms: quantile(sorted, 0.5),
          p99Ms: quantile(sorted, 0.99),
          series: [...p.series],
          lastError: p.lastError,
          verify: p.verify,
        };
      }),
    };
  }

  async start(clusterId: string, body: ProducerLabStart): Promise<ProducerLabStats> {
    const req = ProducerLabStartSchema.parse(body);
    const existing = this.#runs.get(clusterId);
    if (existing && ['starting', 'running', 'stopping', 'verifying'].includes(existing.state))
      throw new ConsoleError('INVALID_STATE', `The producer lab is ${existing.state}; stop it first.`, 409);
    const conn = this.deps.connection(clusterId);
    const config = conn.config;
    const topics = [...new Set(req.producers.map((p) => p.topic))];
    if (!config.bundled && !req.confirmRemote)
      throw new ConsoleError(
        'CONFIRM_REMOTE',
        `"${config.name}" is not the bundled cluster: the producer lab would write to ${topics.join(', ')} there. Confirm to start it anyway.`,
        409,
      );
    const now = Date.now();
    const runId = randomBytes(4).toString('hex');
    const run: LabRun = {
      runId,
      clusterId,
      config,
      state: 'starting',
      startedAt: now,
      stoppedAt: null,
      durationMs: req.durationMs,
      verify: req.verify,
      stopping: false,
      producers: [],
      loops: Promise.resolve(),
      timer: null,
      close: null,
      lastError: null,
    };
    this.#runs.set(clusterId, run);
    try {
      const brokers = (await conn.clusterView([])).brokers.filter((b) => b.up).length;
      for (const topic of topics)
        await ensureTopic(conn, { topic, partitions: PARTITIONS, replicas: Math.max(1, Math.min(3, brokers)) });
    } catch (e) {
      run.state = 'failed';
      run.stoppedAt = Date.now();
      run.lastError = `Cannot start: ${toErrorBody(e).body.error.message}`;
      throw e;
    }
    const from = Date.now();
    run.startedAt = from;
    run.producers = req.producers.map((settings) => ({
      settings,
      client: new Producer({
        ...toClientOptions(config, `samsa-producer-lab-${settings.label}`),
        autocreateTopics: false,
        acks: settings.acks,
        compression: settings.compression,
      }),
      seq: 0,
      sent: 0,
      acked: 0,
      failed: 0,
      requests: 0,
      ackedBytes: 0,
      errors: new Map(),
      ackedSeqs: new SeqBits(),
      bytesRate: new RateMeter(from),
      samples: [],
      seen: 0,
      second: { t: Math.floor(from / 1000) * 1000, acked: 0, bytes: 0, latencies: [] },
      series: [],
      lastError: null,
      verify: null,
    }));
    run.state = 'running';
    run.loops = Promise.all(run.producers.map((p) => this.#loop(run, p))).then(() => undefined);
    if (req.durationMs !== null) run.timer = setTimeout(() => void this.#stop(run), req.durationMs);
    this.#log(run, `started ${run.producers.map((p) => p.settings.label).join(', ')}`);
    return this.stats(clusterId);
  }

  async stop(clusterId: string): Promise<ProducerLabStats> {
    const r = this.#runs.get(clusterId);
    if (r && r.state !== 'stopped' && r.state !== 'failed') await this.#stop(r);
    return this.stats(clusterId);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.#runs.values()].map((r) => (r.state === 'stopped' || r.state === 'failed' ? undefined : this.#stop(r))),
    );
  }

  /** Stops the cluster's run (it is being removed) and forgets it. */
  async stopCluster(clusterId: string): Promise<void> {
    await this.stop(clusterId);
    this.#runs.delete(clusterId);
  }

  #stop(r: LabRun): Promise<void> {
    r.close ??= (async () => {
      if (r.timer) clearTimeout(r.timer);
      r.stopping = true;
      if (r.state === 'running') r.state = 'stopping';
      await r.loops;
      await Promise.all(r.producers.map((p) => p.client.close().catch(() => {})));
      const now = Date.now();
      for (const p of r.producers) roll(p, now + 1000);
      if (r.verify && r.state === 'stopping') {
        r.state = 'verifying';
        try {
          await this.#verify(r);
        } catch (e) {
          r.lastError = `Cannot read the topics back: ${toErrorBody(e).body.error.message}`;
        }
      }
      r.stoppedAt = Date.now();
      if (r.state !== 'failed') r.state = 'stopped';
      this.#log(
        r,
        `stopped: ${r.producers.map((p) => `${p.settings.label} ${p.acked} acked${p.verify ? `, lost ${p.verify.lost}` : ''}`).join('; ')}`,
      );
    })();
    return r.close;
  }

  #loop(run: LabRun, p: LabProducer): Promise<void> {
    const s = p.settings;
    return pace({
      rate: () => s.rate ?? Infinity,
      stopping: () => run.stopping,
      maxBatch: Math.max(1, Math.floor(s.batchBytes / s.recordBytes)),
      lingerMs: s.lingerMs,
      inFlight: IN_FLIGHT,
      retryMs: RETRY_MS,
      send: async (count, openedAt) => {
        const first = p.seq;
        p.seq += count;
        p.sent += count;
        p.requests++;
        const values = Array.from({ length: count }, (_, i) => labValue(run.runId, s.label, first + i, s.recordBytes));
        try {
          // acks per send: the client's send() takes acks=1 unless told, whatever the constructor said.
          await p.client.send({ messages: values.map((value) => ({ topic: s.topic, value })), acks: s.acks });
          const now = Date.now();
          roll(p, now);
          const bytes = values.reduce((n, v) => n + v.length, 0);
          for (let i = 0; i < count; i++) p.ackedSeqs.add(first + i);
          p.acked += count;
          p.ackedBytes += bytes;
          p.bytesRate.add(bytes, now);
          p.second.acked += count;
          p.second.bytes += bytes;
          const latency = now - openedAt;
          p.second.latencies.push(latency);
          // Reservoir sampling: every batch equally likely to be among the run's samples.
          if (p.samples.length < SAMPLES) p.samples.push(latency);
          else {
            const j = Math.floor(Math.random() * (p.seen + 1));
            if (j < SAMPLES) p.samples[j] = latency;
          }
          p.seen++;
          return true;
        } catch (e) {
          const { code, message } = toErrorBody(e).body.error;
          p.failed += count;
          p.errors.set(code, (p.errors.get(code) ?? 0) + count);
          p.lastError = `${code}: ${message}`;
          p.client.clearMetadata();
          return false;
        }
      },
    });
  }

  /** Reads every topic of the run back and matches the sequence numbers of each producer. */
  async #verify(r: LabRun): Promise<void> {
    const conn = this.deps.connection(r.clusterId);
    const byLabel = new Map(r.producers.map((p) => [p.settings.label, { p, found: new SeqBits(), duplicates: 0 }]));
    for (const topic of new Set(r.producers.map((p) => p.settings.topic))) {
      const partitions = (await conn.clusterView([topic])).topics.get(topic)?.partitions.length ?? 0;
      const list = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
      const ranges = await readableRanges(conn, list);
      for (const { partition } of list) {
        const range = ranges.get(pkey(topic, partition));
        if (!range) continue;
        let next = range.start;
        for (let attempt = 1; next < range.end;) {
          let read;
          try {
            read = await readRaw(conn, topic, partition, next, {});
          } catch (e) {
            if (attempt++ >= VERIFY_ATTEMPTS) throw e;
            await sleep(500);
            continue;
          }
          for (const rec of read.records) {
            if (rec.offset >= range.end) break;
            const v = parseLabValue(rec.value);
            if (!v || v.lab !== r.runId) continue;
            const mine = byLabel.get(v.p);
            if (mine && mine.found.add(v.seq)) mine.duplicates++;
          }
          if (read.nextOffset <= next) break;
          next = read.nextOffset;
        }
      }
    }
    for (const { p, found, duplicates } of byLabel.values()) {
      let foundAcked = 0;
      let unacknowledgedFound = 0;
      for (let seq = 0; seq < p.seq; seq++) {
        if (!found.has(seq)) continue;
        if (p.ackedSeqs.has(seq)) foundAcked++;
        else unacknowledgedFound++;
      }
      p.verify = { found: foundAcked, lost: p.acked - foundAcked, duplicates, unacknowledgedFound };
    }
  }

  #log(r: LabRun, line: string): void {
    this.deps.log?.(`producer lab on ${r.config.name}: ${line}`);
  }
}
