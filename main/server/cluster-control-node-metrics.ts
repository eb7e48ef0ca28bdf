// The few numbers the Nodes table shows per node (bytes in/out per second, CPU, RSS), read from
// each running node's Prometheus endpoint every couple of seconds. A stopgap until the console's
// metrics collector (issue 10, main/server/metrics*) is there to ask: it reads only these four
// families, keeps only the previous sample (for rates), and no history.
// The text format is read by a small parser of the sample lines (`name{labels} value [ts]`):
// comments and other families are skipped; a line it cannot read is skipped, never an error.

const FAMILIES = {
  bytesIn: 'kafka_server_brokertopicmetrics_bytesin_total',
  bytesOut: 'kafka_server_brokertopicmetrics_bytesout_total',
  cpu: 'process_cpu_seconds_total',
  rss: 'process_resident_memory_bytes',
} as const;
type Family = keyof typeof FAMILIES;

/** Sums, per wanted metric name, the values of all its samples (every label set). */
export function sumSamples(text: string, names: readonly string[]): Map<string, number> {
  const wanted = new Set(names);
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name || !wanted.has(name)) continue;
    let i = name.length;
    if (line[i] === '{') {
      // Skip the label set; a quoted value may hold '}' or an escaped quote.
      let quoted = false;
      for (i++; i < line.length; i++) {
        const c = line[i];
        if (quoted && c === '\\') i++;
        else if (c === '"') quoted = !quoted;
        else if (c === '}' && !quoted) break;
      }
      i++;
    }
    const value = Number(line.slice(i).trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) out.set(name, (out.get(name) ?? 0) + value);
  }
  return out;
}

export interface NodeMetricsSample {
  bytesInPerSec: number | null;
  bytesOutPerSec: number | null;
  cpuPercent: number | null;
  rssBytes: number | null;
  at: number;
}

interface Raw {
  at: number;
  values: Partial<Record<Family, number>>;
}

const rate = (now: Raw, before: Raw | undefined, f: Family, scale = 1): number | null => {
  const a = now.values[f];
  const b = before?.values[f];
  if (a === undefined || b === undefined || !before || now.at <= before.at || a < b) return null; // a restart resets counters
  return ((a - b) / ((now.at - before.at) / 1000)) * scale;
};

export class NodeMetricsSampler {
  #raw = new Map<number, Raw>();
  latest = new Map<number, NodeMetricsSample>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(
    private readonly nodes: () => { id: number; state: string; metricsUrl: string | null }[],
    private readonly onSample: () => void,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.sample(), this.intervalMs);
    void this.sample();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const nodes = this.nodes();
      for (const id of this.latest.keys()) if (!nodes.some((n) => n.id === id && n.state === 'running')) this.#forget(id);
      await Promise.all(nodes.filter((n) => n.state === 'running' && n.metricsUrl).map((n) => this.#scrape(n.id, n.metricsUrl!)));
      this.onSample();
    } finally {
      this.#busy = false;
    }
  }

  #forget(id: number): void {
    this.latest.delete(id);
    this.#raw.delete(id);
  }

  async #scrape(id: number, url: string): Promise<void> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1500) });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const sums = sumSamples(await res.text(), Object.values(FAMILIES));
      const now: Raw = { at: Date.now(), values: {} };
      for (const [f, name] of Object.entries(FAMILIES) as [Family, string][]) if (sums.has(name)) now.values[f] = sums.get(name);
      const before = this.#raw.get(id);
      this.#raw.set(id, now);
      this.latest.set(id, {
        bytesInPerSec: rate(now, before, 'bytesIn'),
        bytesOutPerSec: rate(now, before, 'bytesOut'),
        cpuPercent: rate(now, before, 'cpu', 100),
        rssBytes: now.values.rss ?? null,
        at: now.at,
      });
    } catch {
      this.#forget(id); // paused, just killed, or restarting: no numbers rather than stale ones
    }
  }
}
