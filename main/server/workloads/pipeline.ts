// Pipeline: a real-time integration in three hops, each a topic, joined by two stages that are
// ordinary consumer groups run by the runner (its stages, runner.ts; not a loop of their own):
//   producer → demo.pipeline.raw → "enrich" → demo.pipeline.enriched → "sink" → demo.pipeline.sink
// - raw: purchase events {id, runId, n, user, amountCents, at}, keyed by user.
// - enrich: looks each event's user up in a customer table (country, tier: a stand-in for the
//   database a real enrichment job would join with) and writes the event with those fields and
//   the time it enriched it; an event it cannot use (another producer's bytes) is skipped.
// - sink: a stand-in for a sink connector: it writes each enriched event as one row
//   {row, id, runId, user, country, tier, amountCents} to demo.pipeline.sink (the "external
//   system") and counts rows per country.
// At least once, as every stage of the runner: a crash between a stage's send and its commit
// can repeat records downstream; a clean stop drains hop by hop, so the sink then has every event.
// Deviations from a Kafka deployment: the stages are plain consumer groups in the console server
// (not Kafka Streams or Connect tasks, no exactly-once), and the "sink" writes a topic rather
// than an external system.
import { asRecord, pick, type DemoMessage, type Workload, type WorkloadReader } from './workload.ts';

export const PIPELINE_RAW = 'demo.pipeline.raw';
export const PIPELINE_ENRICHED = 'demo.pipeline.enriched';
export const PIPELINE_SINK = 'demo.pipeline.sink';
export const ENRICH_GROUP = 'demo.pipeline.enrich';
export const SINK_GROUP = 'demo.pipeline.sink';

const USERS = 120;
const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT', 'PL'] as const;
const TIERS = ['free', 'plus', 'pro'] as const;

const userName = (i: number) => `user-${String(i + 1).padStart(3, '0')}`;
/** The customer table the enrich stage joins with: fixed per user. */
export const CUSTOMERS: ReadonlyMap<string, { country: string; tier: string }> = new Map(
  Array.from({ length: USERS }, (_, i) => [userName(i), { country: COUNTRIES[(i * 7) % COUNTRIES.length], tier: TIERS[(i * 5) % TIERS.length] }]),
);

class Enrich implements WorkloadReader {
  #enriched = 0;
  #skipped = 0;

  read(key: string | null, value: unknown, timestamp: number): DemoMessage[] {
    const v = asRecord(value);
    const user = typeof v?.user === 'string' ? v.user : null;
    const customer = user === null ? undefined : CUSTOMERS.get(user);
    if (!v || user === null || typeof v.id !== 'string' || !customer) {
      this.#skipped++;
      return [];
    }
    this.#enriched++;
    return [{ key: key ?? user, value: { ...v, country: customer.country, tier: customer.tier, enrichedAt: new Date(timestamp).toISOString() } }];
  }

  summary(): string {
    return `enrich: ${this.#enriched} events enriched with country and tier, ${this.#skipped} skipped`;
  }
}

class Sink implements WorkloadReader {
  #rows = 0;
  readonly #perCountry = new Map<string, number>();

  read(key: string | null, value: unknown): DemoMessage[] {
    const v = asRecord(value);
    if (!v || typeof v.id !== 'string' || typeof v.country !== 'string') return [];
    this.#rows++;
    this.#perCountry.set(v.country, (this.#perCountry.get(v.country) ?? 0) + 1);
    const { id, runId, user, country, tier, amountCents } = v;
    return [{ key: key ?? id, value: { row: this.#rows, id, runId, user, country, tier, amountCents } }];
  }

  summary(): string {
    const top = [...this.#perCountry].sort(([, a], [, b]) => b - a).slice(0, 3);
    return `sink: ${this.#rows} rows written${top.length ? ` (${top.map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`;
  }
}

export const pipeline: Workload = {
  name: 'pipeline',
  title: 'Pipeline',
  description: `Purchase events to ${PIPELINE_RAW}; the "enrich" group adds each customer's country and tier and writes to ${PIPELINE_ENRICHED}; the "sink" group writes each as a row to ${PIPELINE_SINK}.`,
  topic: PIPELINE_RAW,
  partitions: 3,
  message(n, now, runId) {
    const user = pick([...CUSTOMERS.keys()]);
    return {
      key: user,
      value: { id: `${runId}-${n}`, runId, n, user, amountCents: 100 + Math.floor(Math.random() * 20_000), at: new Date(now).toISOString() },
    };
  },
  reader: { group: ENRICH_GROUP, create: () => new Enrich(), output: PIPELINE_ENRICHED },
  next: [{ group: SINK_GROUP, create: () => new Sink(), output: PIPELINE_SINK }],
};
