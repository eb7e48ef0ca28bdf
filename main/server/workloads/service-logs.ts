// Service logs: log lines of several services at several levels, keyed by service, each with a
// trace id. The "error counter" group counts lines per level and names the noisiest service.
import { asRecord, pick, weighted, type Workload, type WorkloadReader } from './workload.ts';

const SERVICES = ['api-gateway', 'auth', 'orders', 'payments', 'search'] as const;
const LEVELS = [
  ['DEBUG', 15],
  ['INFO', 70],
  ['WARN', 10],
  ['ERROR', 5],
] as const;
type Level = (typeof LEVELS)[number][0];
const MESSAGES: Record<Level, readonly string[]> = {
  DEBUG: ['cache lookup', 'query plan chosen', 'retrying idempotent call'],
  INFO: ['request served', 'user signed in', 'order accepted', 'index refreshed'],
  WARN: ['slow response from upstream', 'retry budget half used', 'connection pool nearly full'],
  ERROR: ['upstream timed out', 'payment declined by provider', 'database connection lost'],
};

const hex = (bytes: number) =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');

class LevelCounter implements WorkloadReader {
  readonly #levels = new Map<string, number>();
  readonly #errorsBy = new Map<string, number>();

  read(key: string | null, value: unknown): void {
    const v = asRecord(value);
    const level = typeof v?.level === 'string' ? v.level : 'UNKNOWN';
    this.#levels.set(level, (this.#levels.get(level) ?? 0) + 1);
    if (level === 'ERROR' && key) this.#errorsBy.set(key, (this.#errorsBy.get(key) ?? 0) + 1);
  }

  summary(): string {
    const counts = ['ERROR', 'WARN', 'INFO', 'DEBUG'].map((l) => `${l} ${this.#levels.get(l) ?? 0}`).join(' · ');
    const worst = [...this.#errorsBy].sort((a, b) => b[1] - a[1])[0];
    return worst ? `${counts} · most errors: ${worst[0]}` : counts;
  }
}

export const serviceLogs: Workload = {
  name: 'service-logs',
  title: 'Service logs',
  description:
    'Log lines of five services at DEBUG to ERROR, keyed by service; the "error counter" group counts them per level.',
  topic: 'demo.service-logs',
  partitions: 3,
  message(n, now) {
    const service = pick(SERVICES);
    const level = weighted(LEVELS);
    return {
      key: service,
      value: {
        line: n,
        at: new Date(now).toISOString(),
        service,
        level,
        message: pick(MESSAGES[level]),
        traceId: hex(8),
        durationMs: Math.round(Math.random() * 250),
      },
    };
  },
  reader: { group: 'demo.service-logs.error-counter', create: () => new LevelCounter() },
};
