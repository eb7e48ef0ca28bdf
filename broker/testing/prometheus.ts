// Reads Prometheus text the way a real Prometheus client library does: through Debian's
// python3-prometheus-client parser (text_string_to_metric_families), which raises on malformed
// text. Tests assert on what it returns, so a metric only counts as exposed if that parser sees
// it in a family of the declared type.

import { spawnSync } from 'node:child_process';
import { run } from './run.ts';

export interface PromSample {
  /** The family (for counters without `_total`, as the parser names them). */
  family: string;
  type: string;
  name: string;
  labels: Record<string, string>;
  value: number;
}

const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for fam in text_string_to_metric_families(sys.stdin.read()):
    for s in fam.samples:
        out.append([fam.name, fam.type, s.name, s.labels, repr(float(s.value))])
print(json.dumps(out))
`;

/** The python3 with prometheus_client (Debian's lives in /usr/bin), or null. */
export function prometheusPython(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(p, ['-c', 'import prometheus_client'], { stdio: 'ignore' });
    if (r.status === 0) return p;
  }
  return null;
}

const num = (v: string) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));

export async function parsePrometheus(text: string): Promise<PromSample[]> {
  const py = prometheusPython();
  if (!py) throw new Error('python3-prometheus-client is not installed');
  const r = await run(py, ['-c', PARSE], { input: text, timeoutMs: 30000 });
  if (r.code !== 0) throw new Error(`the Prometheus text does not parse: ${r.stderr.trim().split('\n').pop()}`);
  const rows = JSON.parse(r.stdout) as [string, string, string, Record<string, string>, string][];
  return rows.map(([family, type, name, labels, value]) => ({ family, type, name, labels, value: num(value) }));
}

export async function scrapeParsed(url: string): Promise<PromSample[]> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return parsePrometheus(await res.text());
}

/** Sum of the samples named `name` whose labels include `labels`. */
export function sumOf(samples: PromSample[], name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}
